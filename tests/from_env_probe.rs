//! Prints what `Client::from_env` makes of this process's environment, so
//! that a test can run it with exactly the variables it wants.

fn main() {
    match atlas_admin::Client::from_env() {
        Ok(client) => println!("ok {client:?}"),
        Err(error) => println!("error {error}"),
    }
}
