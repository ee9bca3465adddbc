//! [`Value`]: one number in a computational graph, and the backward pass.

use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;
use std::rc::Rc;

// ANCHOR: value
/// The backward rule of one operation.
///
/// Given `∂L/∂out`, the gradient arriving at the operation's output, it
/// returns one number per parent: that parent's share `∂L/∂out · ∂out/∂parent`.
/// The closure captures whatever forward values it needs.
///
/// ```
/// use scratchnet::autograd::BackwardRule;
/// let square_at_3: BackwardRule = Box::new(|g| vec![g * 2.0 * 3.0]); // out = x², x = 3
/// assert_eq!(square_at_3(1.0), vec![6.0]);
/// ```
pub type BackwardRule = Box<dyn Fn(f64) -> Vec<f64>>;

/// A node of the graph: a number, its gradient, and how it was made.
///
/// ```
/// use scratchnet::autograd::Value;
/// let c = &Value::new(2.0) * &Value::new(3.0); // a node: 6, made by × from two parents
/// assert_eq!((c.data(), c.op(), c.parents().len()), (6.0, "×", 2));
/// ```
pub struct Node {
    data: f64,
    grad: f64,
    parents: Vec<Value>,
    op: &'static str,
    label: String,
    rule: Option<BackwardRule>,
}
// ANCHOR_END: value

/// A scalar that remembers the operations that produced it.
///
/// `Value` is a cheap handle (an `Rc`): cloning it shares the node, so one
/// number can feed several operations. Arithmetic on values builds a graph;
/// [`Value::backward`] then fills in `∂L/∂v` for every node `v` of it.
///
/// ```
/// use scratchnet::autograd::Value;
/// let a = Value::new(2.0).with_label("a");
/// let b = Value::new(-3.0).with_label("b");
/// let c = Value::new(10.0).with_label("c");
/// let l = &a * &b + &c; // l = ab + c = 4
/// l.backward();
/// assert_eq!(l.data(), 4.0);
/// assert_eq!((a.grad(), b.grad(), c.grad()), (-3.0, 2.0, 1.0)); // ∂l/∂a = b, ∂l/∂b = a, ∂l/∂c = 1
/// ```
// ANCHOR: value_struct
#[derive(Clone)]
pub struct Value(Rc<RefCell<Node>>);
// ANCHOR_END: value_struct

impl Value {
    /// A leaf: a number that no operation produced (an input or a parameter).
    ///
    /// ```
    /// use scratchnet::autograd::Value;
    /// let w = Value::new(0.5);
    /// assert_eq!((w.data(), w.grad(), w.op()), (0.5, 0.0, ""));
    /// assert!(w.parents().is_empty());
    /// ```
    pub fn new(data: f64) -> Value {
        Value(Rc::new(RefCell::new(Node {
            data,
            grad: 0.0,
            parents: Vec::new(),
            op: "",
            label: String::new(),
            rule: None,
        })))
    }

    /// The output of an operation: its value, its inputs, a short name for
    /// drawings (`"×"`, `"tanh"`) and its backward rule.
    ///
    /// This is how every operation of [`crate::autograd`] is built, and how a
    /// reader adds a new one from outside the crate.
    ///
    /// **Panics** during [`Value::backward`] if `rule` returns a number of
    /// gradients different from the number of parents.
    ///
    /// ```
    /// use scratchnet::autograd::Value;
    /// // sin, defined outside the engine: d sin(x)/dx = cos(x).
    /// let x = Value::new(0.5);
    /// let c = x.data().cos();
    /// let y = Value::from_op(x.data().sin(), &[&x], "sin", move |g| vec![g * c]);
    /// y.backward();
    /// assert_eq!(x.grad(), 0.5f64.cos());
    /// ```
    // ANCHOR: from_op
    pub fn from_op(
        data: f64,
        parents: &[&Value],
        op: &'static str,
        rule: impl Fn(f64) -> Vec<f64> + 'static,
    ) -> Value {
        let v = Value::new(data);
        {
            let mut node = v.0.borrow_mut();
            node.parents = parents.iter().map(|&p| p.clone()).collect();
            node.op = op;
            node.rule = Some(Box::new(rule));
        }
        v
    }
    // ANCHOR_END: from_op

    /// Names the node (for drawings and debugging), builder style.
    ///
    /// ```
    /// use scratchnet::autograd::Value;
    /// let x = Value::new(2.0).with_label("x");
    /// assert_eq!((x.label(), x.data()), ("x".to_string(), 2.0));
    /// ```
    pub fn with_label(self, label: &str) -> Value {
        self.0.borrow_mut().label = label.to_string();
        self
    }

    /// The number this node holds.
    ///
    /// ```
    /// use scratchnet::autograd::Value;
    /// let y = &Value::new(2.0) * 3.0 + 1.0; // the forward pass happens as the graph is built
    /// assert_eq!(y.data(), 7.0);
    /// ```
    pub fn data(&self) -> f64 {
        self.0.borrow().data
    }

    /// Overwrites the number of a leaf (e.g. a parameter after an update).
    ///
    /// ```
    /// use scratchnet::autograd::Value;
    /// let w = Value::new(1.0);
    /// w.set_data(0.5);
    /// assert_eq!((&w * 4.0).data(), 2.0); // operations built afterwards see the new number
    /// ```
    pub fn set_data(&self, data: f64) {
        self.0.borrow_mut().data = data;
    }

    /// `∂L/∂self` after the latest [`Value::backward`] of a graph containing it.
    ///
    /// ```
    /// use scratchnet::autograd::Value;
    /// let x = Value::new(3.0);
    /// let y = &x * &x; // ∂y/∂x = 2x
    /// assert_eq!(x.grad(), 0.0); // nothing before backward
    /// y.backward();
    /// assert_eq!(x.grad(), 6.0);
    /// ```
    pub fn grad(&self) -> f64 {
        self.0.borrow().grad
    }

    /// The node's label (empty if none was given).
    ///
    /// ```
    /// use scratchnet::autograd::Value;
    /// assert_eq!(Value::new(1.0).label(), "");
    /// assert_eq!(Value::new(1.0).with_label("b").label(), "b");
    /// ```
    pub fn label(&self) -> String {
        self.0.borrow().label.clone()
    }

    /// The name of the operation that produced this node (`""` for a leaf).
    ///
    /// ```
    /// use scratchnet::autograd::Value;
    /// let x = Value::new(1.0);
    /// assert_eq!((x.op(), x.exp().op(), (&x / 2.0).op()), ("", "exp", "÷"));
    /// ```
    pub fn op(&self) -> &'static str {
        self.0.borrow().op
    }

    /// The operation's inputs, in order (empty for a leaf). A value used
    /// twice, as in `x * x`, appears twice.
    ///
    /// ```
    /// use scratchnet::autograd::Value;
    /// let x = Value::new(3.0);
    /// let y = &x * &x;
    /// assert!(y.parents().len() == 2 && y.parents().iter().all(|p| p.same(&x)));
    /// ```
    pub fn parents(&self) -> Vec<Value> {
        self.0.borrow().parents.clone()
    }

    /// Whether two handles point to the same node.
    ///
    /// ```
    /// use scratchnet::autograd::Value;
    /// let a = Value::new(1.0);
    /// assert!(a.same(&a.clone())); // a clone shares the node
    /// assert!(!a.same(&Value::new(1.0))); // an equal number in another node
    /// ```
    pub fn same(&self, other: &Value) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }

    fn id(&self) -> *const RefCell<Node> {
        Rc::as_ptr(&self.0)
    }

    // ANCHOR: topo
    /// Every node of the graph that ends in `self`, each after all of its
    /// parents (a topological order); `self` comes last.
    ///
    /// An explicit stack replaces recursion, so a graph a million operations
    /// deep does not overflow the call stack.
    ///
    /// ```
    /// let y = (&scratchnet::autograd::Value::new(2.0) * 3.0).exp();
    /// let ops: Vec<_> = y.topological_order().iter().map(|v| v.op()).collect();
    /// assert_eq!(ops, ["", "", "×", "exp"]); // the leaves 2 and 3, then ×, then exp
    /// ```
    pub fn topological_order(&self) -> Vec<Value> {
        let mut order = Vec::new();
        let mut seen = HashSet::new();
        // (node, whether its parents have already been pushed)
        let mut stack = vec![(self.clone(), false)];
        while let Some((v, expanded)) = stack.pop() {
            if expanded {
                order.push(v); // all its parents are already in `order`
            } else if seen.insert(v.id()) {
                stack.push((v.clone(), true));
                for p in
                    v.0.borrow()
                        .parents
                        .iter()
                        .filter(|p| !seen.contains(&p.id()))
                {
                    stack.push((p.clone(), false));
                }
            }
        }
        order
    }
    // ANCHOR_END: topo

    // ANCHOR: backward
    /// Reverse-mode differentiation: sets `grad` of every node of the graph
    /// to `∂self/∂node`.
    ///
    /// Gradients are first reset to zero, `∂self/∂self = 1` seeds the pass,
    /// then nodes are visited in reverse topological order: when a node is
    /// reached, every operation that consumed it has already added its share,
    /// so its gradient is complete and can be passed on to its parents.
    ///
    /// ```
    /// let x = scratchnet::autograd::Value::new(3.0);
    /// let y = &x * &x + &x; // x feeds two operations: ∂y/∂x = 2x + 1
    /// y.backward();
    /// assert_eq!((y.grad(), x.grad()), (1.0, 7.0));
    /// ```
    pub fn backward(&self) {
        let order = self.topological_order();
        for v in &order {
            v.0.borrow_mut().grad = 0.0;
        }
        self.0.borrow_mut().grad = 1.0;
        for v in order.iter().rev() {
            let node = v.0.borrow();
            let Some(rule) = &node.rule else { continue }; // a leaf
            let shares = rule(node.grad);
            assert_eq!(
                shares.len(),
                node.parents.len(),
                "backward rule of `{}`: one gradient per parent",
                node.op
            );
            for (parent, share) in node.parents.iter().zip(shares) {
                parent.0.borrow_mut().grad += share; // accumulate: a value may feed several operations
            }
        }
    }
    // ANCHOR_END: backward
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.borrow();
        write!(
            f,
            "Value({} data={} grad={} op={:?})",
            n.label, n.data, n.grad, n.op
        )
    }
}

/// Frees a deep graph without deep recursion.
///
/// Dropping the last handle of a node drops its parents, which drop theirs:
/// for a chain of a million operations the default, recursive drop would
/// overflow the stack. We detach parents into a work list instead.
impl Drop for Node {
    fn drop(&mut self) {
        let mut pending = std::mem::take(&mut self.parents);
        while let Some(v) = pending.pop() {
            if Rc::strong_count(&v.0) == 1 {
                pending.append(&mut v.0.borrow_mut().parents);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topological_order_puts_parents_first() {
        let a = Value::new(1.0);
        let b = &a * 2.0;
        let c = &a + &b; // a feeds c directly and through b
        let order = c.topological_order();
        assert_eq!(order.len(), 4); // a, the constant 2, b, c
        let pos = |v: &Value| order.iter().position(|o| o.same(v)).unwrap();
        assert!(pos(&a) < pos(&b) && pos(&b) < pos(&c));
        assert!(order.last().unwrap().same(&c));
    }

    #[test]
    fn deep_chain_does_not_overflow() {
        let x = Value::new(0.5);
        let mut y = x.clone();
        for _ in 0..200_000 {
            y = &y * 1.0 + 0.0;
        }
        y.backward();
        assert_eq!(x.grad(), 1.0);
        drop(y); // the iterative Drop frees 600 000 nodes
    }

    #[test]
    fn backward_resets_gradients() {
        let x = Value::new(3.0);
        let y = &x * &x;
        y.backward();
        y.backward();
        assert_eq!(x.grad(), 6.0); // not 12: each backward starts from zero
    }
}
