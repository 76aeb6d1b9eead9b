#include "kettle/parameter.hpp"

#include <algorithm>

namespace kettle {

ParamExpr& ParamExpr::operator+=(const ParamExpr& o) {
    constant_ += o.constant_;
    for (const Term& t : o.terms_) {
        auto it = std::find_if(terms_.begin(), terms_.end(),
                               [&](const Term& m) { return m.parameter == t.parameter; });
        if (it == terms_.end())
            terms_.push_back(t);
        else
            it->coeff += t.coeff;
    }
    std::erase_if(terms_, [](const Term& t) { return t.coeff == 0.0; });
    return *this;
}

ParamExpr& ParamExpr::operator*=(double s) {
    constant_ *= s;
    for (Term& t : terms_) t.coeff *= s;
    std::erase_if(terms_, [](const Term& t) { return t.coeff == 0.0; });
    return *this;
}

}  // namespace kettle
