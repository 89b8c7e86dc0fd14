//! The storage of a connection that left, reused by a new one: its box, its lists of
//! unacknowledged segments and its round-trip sample. A capture with many short
//! connections then allocates next to nothing per connection.

use super::TcpConn;
use crate::flow::expert::ExpertStorage;

/// Emptied storage of a connection's growing parts.
#[derive(Debug, Default)]
struct Storage {
    expert: ExpertStorage,
    rtts: Vec<i64>,
}

impl TcpConn {
    /// Makes this connection `fresh`, keeping the storage of its growing parts (what it held
    /// is gone: its summary was handed over).
    pub(in crate::flow) fn renew(&mut self, fresh: TcpConn) {
        let storage = self.take_storage();
        *self = fresh;
        self.reuse_storage(storage);
    }

    fn take_storage(&mut self) -> Storage {
        Storage {
            expert: self.expert.take_storage(),
            rtts: self.stats.take_storage(),
        }
    }

    /// Uses `storage` for the growing parts that have none yet (a new connection's).
    fn reuse_storage(&mut self, storage: Storage) {
        self.expert.reuse_storage(storage.expert);
        self.stats.reuse_storage(storage.rtts);
    }
}
