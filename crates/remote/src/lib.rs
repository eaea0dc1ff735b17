//! pixelpool's remote overflow over Redis Streams.
mod redis_transport;

pub use redis_transport::RedisTransport;
