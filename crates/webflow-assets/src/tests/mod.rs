//! Property tests of private parts: the parsers and the plan, over random input.

mod plan_properties;
mod properties;
