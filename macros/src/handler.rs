//! Checks on the function `#[authorize]` is applied to.

use syn::spanned::Spanned;
use syn::{Attribute, ItemFn, LitStr};

use crate::args::AuthorizeArgs;
use crate::errors::Errors;

/// actix-web implements its handler and extractor traits for tuples of up to this many.
const MAX_EXTRACTORS: usize = 16;

/// The attribute macros of actix-web that register a handler under a route.
const ROUTE_MACROS: &[&str] = &[
    "route", "get", "post", "put", "delete", "head", "connect", "options", "trace", "patch",
];

/// Whether `attr` is one of actix-web's route attributes, such as `#[get("/")]`.
pub(crate) fn is_route_attribute(attr: &Attribute) -> bool {
    attr.path()
        .segments
        .last()
        .is_some_and(|segment| ROUTE_MACROS.iter().any(|name| segment.ident == name))
}

/// Every reason `item` cannot be an authorized handler; `args` is `None` when they did not parse.
pub(crate) fn check(args: Option<&AuthorizeArgs>, item: &ItemFn) -> syn::Result<()> {
    let mut errors = Errors::default();
    let sig = &item.sig;

    if sig.asyncness.is_none() {
        errors.push(syn::Error::new_spanned(
            sig.fn_token,
            "`#[authorize]` requires an `async fn`",
        ));
    }
    if let Some(receiver) = sig.receiver() {
        errors.push(syn::Error::new_spanned(
            receiver,
            "`#[authorize]` cannot be used on methods: a handler cannot take `self`",
        ));
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        errors.push(syn::Error::new(
            sig.generics.span(),
            "`#[authorize]` handlers cannot be generic",
        ));
    }
    if let Some(extra) = sig.inputs.iter().nth(MAX_EXTRACTORS) {
        errors.push(syn::Error::new_spanned(
            extra,
            format!("actix-web handlers take at most {MAX_EXTRACTORS} extractors"),
        ));
    }
    if let Some(variadic) = &sig.variadic {
        errors.push(syn::Error::new_spanned(
            variadic,
            "`#[authorize]` handlers cannot be variadic",
        ));
    }
    if let Some(args) = args {
        errors.extend(check_route_has_id_param(args, &item.attrs));
    }
    errors.finish(())
}

/// With `allow_same_id`, a route attribute written below `#[authorize]` must name the parameter.
///
/// Route attributes written above it have already expanded and cannot be seen; the runtime then
/// denies a request whose route lacks the parameter.
fn check_route_has_id_param(args: &AuthorizeArgs, attrs: &[Attribute]) -> syn::Result<()> {
    let Some(same_id) = &args.same_id else {
        return Ok(());
    };
    let mut errors = Errors::default();
    for attr in attrs.iter().filter(|attr| is_route_attribute(attr)) {
        // Leave malformed route attributes to actix-web's own macro, which explains them better.
        let Ok(pattern) = attr.parse_args_with(first_string_literal) else {
            continue;
        };
        if !has_param(&pattern.value(), &same_id.param) {
            let mut error = syn::Error::new_spanned(
                &pattern,
                format!(
                    "route `{}` has no `{{{}}}` segment for `allow_same_id` to compare with \
                     the caller's id",
                    pattern.value(),
                    same_id.param
                ),
            );
            error.combine(syn::Error::new(
                same_id.span,
                format!(
                    "`allow_same_id` compares the path parameter `{}`",
                    same_id.param
                ),
            ));
            errors.push(error);
        }
    }
    errors.finish(())
}

fn first_string_literal(input: syn::parse::ParseStream<'_>) -> syn::Result<LitStr> {
    let pattern = input.parse()?;
    input.parse::<proc_macro2::TokenStream>()?;
    Ok(pattern)
}

/// Whether an actix-web route pattern has a `{name}` or `{name:regex}` segment.
fn has_param(pattern: &str, name: &str) -> bool {
    pattern.match_indices('{').any(|(start, _)| {
        let rest = &pattern[start + 1..];
        rest.strip_prefix(name)
            .is_some_and(|after| after.starts_with('}') || after.starts_with(':'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_route_parameters() {
        assert!(has_param("/users/{user_id}", "user_id"));
        assert!(has_param("/users/{user_id:\\d+}/posts", "user_id"));
        assert!(has_param("/{org}/{owner_id}", "owner_id"));
        assert!(!has_param("/users/{user_idx}", "user_id"));
        assert!(!has_param("/users/{id}", "user_id"));
        assert!(!has_param("/users/user_id", "user_id"));
        assert!(!has_param("/users/{my_user_id}", "user_id"));
    }

    #[test]
    fn recognises_route_attributes_by_their_last_segment() {
        let attrs: Vec<Attribute> = vec![
            syn::parse_quote!(#[get("/")]),
            syn::parse_quote!(#[actix_web::post("/")]),
            syn::parse_quote!(#[doc = "x"]),
        ];
        let found: Vec<bool> = attrs.iter().map(is_route_attribute).collect();
        assert_eq!(found, [true, true, false]);
    }
}
