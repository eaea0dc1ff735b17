//! The Node binding: JS options to core types, core outcomes to JS objects. No image or
//! scheduling logic lives here.
mod facts;
mod generated;
mod inspect;
mod options;
mod outcome;
mod queue;
mod remote;
mod worker;
