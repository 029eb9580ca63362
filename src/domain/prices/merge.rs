//! Merging of identical concurrent requests: the first caller for a key starts the work,
//! callers arriving while it runs await the same result, and the key is free again once
//! it is done (nothing is cached here).

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;

use futures::future::{FutureExt, LocalBoxFuture, Shared};

/// Work in flight, by key (for the price clients: the URL).
pub struct InFlight<T: Clone + 'static> {
    running: RefCell<HashMap<String, Shared<LocalBoxFuture<'static, T>>>>,
}

impl<T: Clone + 'static> Default for InFlight<T> {
    fn default() -> Self {
        InFlight {
            running: RefCell::new(HashMap::new()),
        }
    }
}

impl<T: Clone + 'static> InFlight<T> {
    /// Runs `start()` for `key` unless the same key is already running, in which case
    /// its result is awaited instead.
    pub async fn run<F: Future<Output = T> + 'static>(
        &self,
        key: &str,
        start: impl FnOnce() -> F,
    ) -> T {
        let existing = self.running.borrow().get(key).cloned();
        if let Some(f) = existing {
            return f.await;
        }
        let fut = start().boxed_local().shared();
        self.running
            .borrow_mut()
            .insert(key.to_string(), fut.clone());
        let out = fut.await;
        self.running.borrow_mut().remove(key);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::channel::oneshot;
    use futures::executor::block_on;
    use std::cell::Cell;
    use std::rc::Rc;

    #[test]
    fn concurrent_callers_share_one_start_and_later_callers_start_again() {
        let inflight: InFlight<u32> = InFlight::default();
        let starts = Rc::new(Cell::new(0));
        let (tx, rx) = oneshot::channel::<u32>();
        let rx = Rc::new(RefCell::new(Some(rx)));
        let start = || {
            starts.set(starts.get() + 1);
            let rx = rx.borrow_mut().take().expect("started once");
            async move { rx.await.unwrap_or(0) }
        };
        let a = inflight.run("url", start);
        let b = inflight.run("url", || async { unreachable!("merged into the first") });
        let c = inflight.run("other", || async { 7 });
        let send = async move {
            tx.send(42).unwrap();
        };
        let (a, b, c, ()) = block_on(futures::future::join4(a, b, c, send));
        assert_eq!((a, b, c), (42, 42, 7));
        assert_eq!(starts.get(), 1, "one start for two callers of the same key");
        // Once done, the key is free: a new caller starts new work.
        assert_eq!(block_on(inflight.run("url", || async { 9 })), 9);
    }
}
