//! pixelpool's remote overflow over Redis Streams: the transport and the worker loop.
pub mod front;
mod redis_transport;
mod worker;

pub use redis_transport::RedisTransport;
pub use worker::{describe, handle, Handled, Log, Worker, WorkerOptions, HEARTBEAT_EVERY};
