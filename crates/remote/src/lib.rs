//! pixelpool's remote overflow over Redis Streams: the transport and the worker loop.
mod redis_transport;
mod worker;

pub use redis_transport::RedisTransport;
pub use worker::{describe, handle, Handled, Log, Worker, WorkerOptions, HEARTBEAT_EVERY};
