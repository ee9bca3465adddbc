//! The operations of the scalar engine, each with its backward rule beside it.
//!
//! Every operation computes its output from its inputs (the forward rule)
//! and, in the same breath, says how a gradient `g = ∂L/∂out` arriving at
//! the output splits among its inputs (the backward rule): input `i`
//! receives `g · ∂out/∂inputᵢ`. That local derivative is all an operation
//! needs to know; the chain rule does the rest.

use std::ops::{Add, Div, Mul, Neg, Sub};

use super::Value;
use crate::activation::sigmoid;

// ANCHOR: ops
impl Value {
    /// `a + b`: ∂/∂a = 1, ∂/∂b = 1, so the gradient is copied to both.
    ///
    /// ```
    /// use scratchnet::autograd::{Value, engine_gradient};
    /// assert_eq!(Value::new(2.0).add(&Value::new(3.0)).data(), 5.0);
    /// assert_eq!(engine_gradient(|v| v[0].add(&v[1]), &[2.0, 3.0]), vec![1.0, 1.0]);
    /// ```
    pub fn add(&self, other: &Value) -> Value {
        Value::from_op(self.data() + other.data(), &[self, other], "+", |g| {
            vec![g, g]
        })
    }

    /// `a · b`: ∂/∂a = b, ∂/∂b = a, so each input gets the gradient times the *other*.
    ///
    /// ```
    /// use scratchnet::autograd::{Value, engine_gradient};
    /// assert_eq!(Value::new(2.0).mul(&Value::new(3.0)).data(), 6.0);
    /// assert_eq!(engine_gradient(|v| v[0].mul(&v[1]), &[2.0, 3.0]), vec![3.0, 2.0]);
    /// ```
    pub fn mul(&self, other: &Value) -> Value {
        let (a, b) = (self.data(), other.data());
        Value::from_op(a * b, &[self, other], "×", move |g| vec![g * b, g * a])
    }

    /// `a − b`: ∂/∂a = 1, ∂/∂b = −1.
    ///
    /// ```
    /// use scratchnet::autograd::{Value, engine_gradient};
    /// assert_eq!(Value::new(2.0).sub(&Value::new(3.0)).data(), -1.0);
    /// assert_eq!(engine_gradient(|v| v[0].sub(&v[1]), &[2.0, 3.0]), vec![1.0, -1.0]);
    /// ```
    pub fn sub(&self, other: &Value) -> Value {
        Value::from_op(self.data() - other.data(), &[self, other], "−", |g| {
            vec![g, -g]
        })
    }

    /// `−a`: ∂/∂a = −1.
    ///
    /// ```
    /// use scratchnet::autograd::{Value, engine_gradient};
    /// assert_eq!(Value::new(2.0).neg().data(), -2.0);
    /// assert_eq!(engine_gradient(|v| v[0].neg(), &[2.0]), vec![-1.0]);
    /// ```
    pub fn neg(&self) -> Value {
        Value::from_op(-self.data(), &[self], "neg", |g| vec![-g])
    }

    /// `a / b`: ∂/∂a = 1/b, ∂/∂b = −a/b².
    ///
    /// ```
    /// use scratchnet::autograd::{Value, engine_gradient};
    /// assert_eq!(Value::new(3.0).div(&Value::new(2.0)).data(), 1.5);
    /// assert_eq!(engine_gradient(|v| v[0].div(&v[1]), &[3.0, 2.0]), vec![0.5, -0.75]);
    /// ```
    pub fn div(&self, other: &Value) -> Value {
        let (a, b) = (self.data(), other.data());
        Value::from_op(a / b, &[self, other], "÷", move |g| {
            vec![g / b, -g * a / (b * b)]
        })
    }

    /// `aᵏ` for a constant exponent k: ∂/∂a = k·aᵏ⁻¹.
    ///
    /// ```
    /// use scratchnet::autograd::{Value, engine_gradient};
    /// assert_eq!(Value::new(2.0).powf(3.0).data(), 8.0);
    /// assert_eq!(engine_gradient(|v| v[0].powf(3.0), &[2.0]), vec![12.0]); // 3·2²
    /// ```
    pub fn powf(&self, k: f64) -> Value {
        let a = self.data();
        Value::from_op(a.powf(k), &[self], "pow", move |g| {
            vec![g * k * a.powf(k - 1.0)]
        })
    }

    /// `eᵃ`: the derivative is the function itself.
    ///
    /// ```
    /// use scratchnet::autograd::{Value, engine_gradient};
    /// let e = 1f64.exp();
    /// assert_eq!((Value::new(1.0).exp().data(), engine_gradient(|v| v[0].exp(), &[1.0])), (e, vec![e]));
    /// ```
    pub fn exp(&self) -> Value {
        let e = self.data().exp();
        Value::from_op(e, &[self], "exp", move |g| vec![g * e])
    }

    /// `ln a`: ∂/∂a = 1/a.
    ///
    /// ```
    /// use scratchnet::autograd::{Value, engine_gradient};
    /// assert_eq!(Value::new(1.0).ln().data(), 0.0);
    /// assert_eq!(engine_gradient(|v| v[0].ln(), &[4.0]), vec![0.25]);
    /// ```
    pub fn ln(&self) -> Value {
        let a = self.data();
        Value::from_op(a.ln(), &[self], "ln", move |g| vec![g / a])
    }

    /// `tanh a`: ∂/∂a = 1 − tanh²(a), computed from the output.
    ///
    /// ```
    /// use scratchnet::autograd::{Value, check_gradients};
    /// assert_eq!(Value::new(0.0).tanh().data(), 0.0);
    /// assert!(check_gradients(|v| v[0].tanh(), &[0.7]) < 1e-8); // matches central differences
    /// ```
    pub fn tanh(&self) -> Value {
        let t = self.data().tanh();
        Value::from_op(t, &[self], "tanh", move |g| vec![g * (1.0 - t * t)])
    }

    /// `σ(a) = 1/(1 + e⁻ᵃ)`: ∂/∂a = σ(a)(1 − σ(a)), computed from the output.
    ///
    /// ```
    /// use scratchnet::autograd::{Value, engine_gradient};
    /// assert_eq!(Value::new(0.0).sigmoid().data(), 0.5);
    /// assert_eq!(engine_gradient(|v| v[0].sigmoid(), &[0.0]), vec![0.25]); // ½·(1 − ½)
    /// ```
    pub fn sigmoid(&self) -> Value {
        let s = sigmoid(self.data());
        Value::from_op(s, &[self], "σ", move |g| vec![g * s * (1.0 - s)])
    }

    /// `max(0, a)`: the gradient passes where a > 0 (we take 0 at a = 0).
    ///
    /// ```
    /// use scratchnet::autograd::{Value, engine_gradient};
    /// assert_eq!(Value::new(-1.0).relu().data(), 0.0);
    /// assert_eq!(engine_gradient(|v| &v[0].relu() + &v[1].relu(), &[-1.0, 2.0]), vec![0.0, 1.0]);
    /// ```
    pub fn relu(&self) -> Value {
        let a = self.data();
        Value::from_op(a.max(0.0), &[self], "ReLU", move |g| {
            vec![if a > 0.0 { g } else { 0.0 }]
        })
    }
}
// ANCHOR_END: ops

/// Implements a binary operator for every mix of `Value`, `&Value` and `f64`.
///
/// A number on either side becomes a fresh leaf, a constant of the graph.
macro_rules! binary_op {
    ($trait:ident, $method:ident) => {
        impl $trait<&Value> for &Value {
            type Output = Value;
            fn $method(self, rhs: &Value) -> Value {
                Value::$method(self, rhs)
            }
        }
        impl $trait<Value> for Value {
            type Output = Value;
            fn $method(self, rhs: Value) -> Value {
                Value::$method(&self, &rhs)
            }
        }
        impl $trait<&Value> for Value {
            type Output = Value;
            fn $method(self, rhs: &Value) -> Value {
                Value::$method(&self, rhs)
            }
        }
        impl $trait<Value> for &Value {
            type Output = Value;
            fn $method(self, rhs: Value) -> Value {
                Value::$method(self, &rhs)
            }
        }
        impl $trait<f64> for &Value {
            type Output = Value;
            fn $method(self, rhs: f64) -> Value {
                Value::$method(self, &Value::new(rhs))
            }
        }
        impl $trait<f64> for Value {
            type Output = Value;
            fn $method(self, rhs: f64) -> Value {
                Value::$method(&self, &Value::new(rhs))
            }
        }
        impl $trait<&Value> for f64 {
            type Output = Value;
            fn $method(self, rhs: &Value) -> Value {
                Value::$method(&Value::new(self), rhs)
            }
        }
        impl $trait<Value> for f64 {
            type Output = Value;
            fn $method(self, rhs: Value) -> Value {
                Value::$method(&Value::new(self), &rhs)
            }
        }
    };
}

binary_op!(Add, add);
binary_op!(Sub, sub);
binary_op!(Mul, mul);
binary_op!(Div, div);

impl Neg for &Value {
    type Output = Value;
    fn neg(self) -> Value {
        Value::neg(self)
    }
}

impl Neg for Value {
    type Output = Value;
    fn neg(self) -> Value {
        Value::neg(&self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::autograd::check_gradients;

    type Unary = (&'static str, fn(&Value) -> Value, f64);
    type Binary = fn(&Value, &Value) -> Value;

    /// Every unary operation at a point away from its kinks and poles.
    #[test]
    fn unary_ops_pass_the_gradient_check() {
        let cases: [Unary; 8] = [
            ("neg", |v| -v, 0.7),
            ("powf", |v| v.powf(3.5), 1.3),
            ("exp", |v| v.exp(), -0.4),
            ("ln", |v| v.ln(), 2.1),
            ("tanh", |v| v.tanh(), 0.3),
            ("sigmoid", |v| v.sigmoid(), -1.2),
            ("relu+", |v| v.relu(), 0.8),
            ("relu-", |v| v.relu(), -0.8),
        ];
        for (name, f, x) in cases {
            let err = check_gradients(|v| f(&v[0]), &[x]);
            assert!(err < 1e-8, "{name}: error {err}");
        }
    }

    #[test]
    fn binary_ops_pass_the_gradient_check() {
        let cases: [(&str, Binary); 4] = [
            ("+", |a, b| a + b),
            ("-", |a, b| a - b),
            ("*", |a, b| a * b),
            ("/", |a, b| a / b),
        ];
        for (name, f) in cases {
            for x in [[1.5, -0.5], [-2.0, 3.0], [0.3, 0.9]] {
                let err = check_gradients(|v| f(&v[0], &v[1]), &x);
                assert!(err < 1e-8, "{name} at {x:?}: error {err}");
            }
        }
    }

    #[test]
    fn operators_with_numbers() {
        let x = Value::new(2.0);
        let y = 3.0 * &x - 1.0 / &x + (&x / 4.0) - 0.5;
        y.backward();
        assert_eq!(y.data(), 6.0 - 0.5 + 0.5 - 0.5);
        assert_eq!(x.grad(), 3.0 + 1.0 / 4.0 + 0.25);
    }

    #[test]
    fn a_value_used_twice_accumulates() {
        let x = Value::new(3.0);
        let y = &x * &x + &x; // dy/dx = 2x + 1
        y.backward();
        assert_eq!(x.grad(), 7.0);
    }
}
