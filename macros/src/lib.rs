//! Implementation detail of [`actix-authorize`](https://docs.rs/actix-authorize); depend on that
//! crate instead, which re-exports [`macro@authorize`] with its documentation.

mod args;
mod errors;
mod expand;
mod handler;

use proc_macro::TokenStream;
use proc_macro2::Span;
use syn::ItemFn;

use crate::args::AuthorizeArgs;

/// Authorizes the caller of an actix-web handler before the handler or any of its extractors
/// runs. Its documentation is on the re-export in the `actix-authorize` crate.
#[proc_macro_attribute]
pub fn authorize(args: TokenStream, item: TokenStream) -> TokenStream {
    let expanded = match authorize_handler(args.into(), item.clone().into()) {
        Ok(handler) => handler,
        // The unchanged item keeps rust-analyzer working; the error still fails the build, so an
        // unprotected handler cannot ship.
        Err(error) => {
            let mut unchanged = proc_macro2::TokenStream::from(item);
            unchanged.extend(error.into_compile_error());
            unchanged
        }
    };
    if std::env::var_os("ACTIX_AUTHORIZE_DEBUG").is_some() {
        eprintln!("{expanded}");
    }
    expanded.into()
}

fn authorize_handler(
    args: proc_macro2::TokenStream,
    item: proc_macro2::TokenStream,
) -> syn::Result<proc_macro2::TokenStream> {
    let function: ItemFn = syn::parse2(item).map_err(|_| {
        syn::Error::new(
            Span::call_site(),
            "`#[authorize]` can only be applied to an `async fn` handler",
        )
    })?;
    let args = syn::parse2::<AuthorizeArgs>(args);
    let checked = handler::check(args.as_ref().ok(), &function);
    match (args, checked) {
        (Ok(args), Ok(())) => Ok(expand::expand(&args, function)),
        (Ok(_), Err(error)) => Err(error),
        (Err(mut error), checked) => {
            if let Err(more) = checked {
                error.combine(more);
            }
            Err(error)
        }
    }
}
