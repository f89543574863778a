//! Prints the models' JSON Schemas (`cargo run -p ucare-bindings --example dump_schema`).
fn main() {
    println!("{}", serde_json::to_string_pretty(&ucare_bindings::schema::models()).unwrap());
}
