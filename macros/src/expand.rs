//! Rewrites a validated handler into one that authorizes the caller before anything else runs.
//!
//! ```text
//! #[get("/users/{user_id}")]                       // route attributes stay outside
//! async fn get_user(req: HttpRequest, payload: Payload) -> impl Responder {
//!     async fn get_user(path: web::Path<i64>) -> impl Responder { /* untouched */ }
//!     authorize_then_call(Policy::new(&["admin"]).allow_same_id("user_id"), req, payload, get_user).await
//! }
//! ```
//!
//! The user's function is kept whole as an inner item, so its body, parameters and return type
//! are exactly as written. The outer function takes only the request and its payload; the
//! runtime decides first and extracts the inner function's parameters only for a caller it let
//! through, because actix-web would poll a handler's own extractors together.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::{Attribute, Ident, ItemFn};

use crate::args::AuthorizeArgs;
use crate::handler;

/// The handler that authorizes and then calls `item`; `args` and `item` must have been checked.
pub(crate) fn expand(args: &AuthorizeArgs, item: ItemFn) -> TokenStream {
    let ItemFn {
        attrs,
        vis,
        sig,
        block,
        ..
    } = item;
    let (outer_attrs, inner_attrs): (Vec<Attribute>, Vec<Attribute>) =
        attrs.into_iter().partition(belongs_outside);
    let name = &sig.ident;
    let policy = policy(args);
    let request = Ident::new("__authorize_request", Span::mixed_site());
    let payload = Ident::new("__authorize_payload", Span::mixed_site());
    let private = quote!(::actix_authorize::__private);
    // Spanned, path included, at the handler's name, so that a parameter that is not an
    // extractor, or a return type that is not a responder, is reported there rather than on
    // the attribute, and once: the callee and the argument then share a span.
    let call = {
        let span = sig.ident.span();
        let private = quote_spanned!(span=> ::actix_authorize::__private);
        quote_spanned! {span=>
            #private::authorize_then_call(#policy, #request, #payload, #name).await
        }
    };

    quote! {
        #(#outer_attrs)*
        #vis async fn #name(
            #request: #private::HttpRequest,
            #payload: #private::Payload,
        ) -> impl #private::Responder {
            #(#inner_attrs)*
            #sig #block
            #call
        }
    }
}

/// The `Policy` value that encodes `args`.
fn policy(args: &AuthorizeArgs) -> TokenStream {
    let roles = &args.roles;
    let mut policy = quote!(::actix_authorize::__private::Policy::new(&[#(#roles),*]));
    let scopes = &args.scopes;
    if !scopes.is_empty() {
        policy.extend(quote!(.scopes(&[#(#scopes),*])));
    }
    if let Some(same_id) = &args.same_id {
        let param = &same_id.param;
        policy.extend(quote!(.allow_same_id(#param)));
    }
    policy
}

/// Attributes that describe the registered handler rather than the user's function body.
fn belongs_outside(attr: &Attribute) -> bool {
    handler::is_route_attribute(attr)
        || ["doc", "cfg", "cfg_attr", "deprecated"]
            .iter()
            .any(|name| attr.path().is_ident(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand_to_string(args: TokenStream, item: TokenStream) -> String {
        let args: AuthorizeArgs = syn::parse2(args).unwrap();
        let item: ItemFn = syn::parse2(item).unwrap();
        handler::check(Some(&args), &item).unwrap();
        let file = syn::parse2(expand(&args, item)).unwrap();
        prettyplease::unparse(&file)
    }

    #[test]
    fn roles_only() {
        insta::assert_snapshot!(expand_to_string(
            quote!(roles = ["admin", "support"]),
            quote! {
                async fn list_users(query: web::Query<Page>) -> impl Responder {
                    HttpResponse::Ok()
                }
            },
        ));
    }

    #[test]
    fn scopes_and_roles() {
        insta::assert_snapshot!(expand_to_string(
            quote!(roles = ["admin"], scopes = ["orders:read"]),
            quote! {
                async fn list_orders() -> impl Responder {
                    HttpResponse::Ok()
                }
            },
        ));
    }

    #[test]
    fn roles_or_same_id() {
        insta::assert_snapshot!(expand_to_string(
            quote!(roles = ["admin"], allow_same_id),
            quote! {
                async fn get_user(path: web::Path<i64>, me: CurrentUser) -> impl Responder {
                    format!("{}", path.into_inner())
                }
            },
        ));
    }

    #[test]
    fn owner_only_with_a_named_parameter() {
        insta::assert_snapshot!(expand_to_string(
            quote!(roles = [], allow_same_id = "owner_id"),
            quote! {
                pub(crate) async fn delete_post(path: web::Path<(i64, i64)>) -> HttpResponse {
                    HttpResponse::NoContent().finish()
                }
            },
        ));
    }

    #[test]
    fn route_below_docs_and_other_attributes() {
        insta::assert_snapshot!(expand_to_string(
            quote!(roles = ["admin"], allow_same_id),
            quote! {
                /// Fetches one user.
                #[get("/users/{user_id}")]
                #[allow(clippy::unused_async)]
                pub async fn get_user() -> &'static str {
                    "ok"
                }
            },
        ));
    }
}
