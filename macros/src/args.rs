//! The argument grammar of `#[authorize(...)]` and its errors.
//!
//! ```text
//! args  := arg ("," arg)* ","?
//! arg   := "roles" "=" list
//!        | "scopes" "=" list
//!        | "allow_same_id"
//!        | "allow_same_id" "=" string
//! list  := "[" (string ("," string)* ","?)? "]"
//! ```

use proc_macro2::Span;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Expr, ExprLit, Lit, LitStr, Meta, Token};

use crate::errors::Errors;

/// The path parameter compared with the caller's id when `allow_same_id` names none.
pub(crate) const DEFAULT_ID_PARAM: &str = "user_id";

/// The validated arguments of one `#[authorize(...)]`.
#[derive(Debug)]
pub(crate) struct AuthorizeArgs {
    /// Roles any one of which grants access, in the order written; unique and non-empty.
    pub(crate) roles: Vec<LitStr>,
    /// Scopes the token must all have, in the order written; unique and non-empty.
    pub(crate) scopes: Vec<LitStr>,
    /// The path parameter that must equal the caller's id, when `allow_same_id` is given.
    pub(crate) same_id: Option<SameId>,
}

/// `allow_same_id` and the path parameter it compares against.
#[derive(Debug)]
pub(crate) struct SameId {
    pub(crate) param: String,
    /// The flag itself, or its `= "param"` value: where route mismatches are reported.
    pub(crate) span: Span,
}

impl Parse for AuthorizeArgs {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let metas = Punctuated::<Meta, Token![,]>::parse_terminated(input)?;
        let mut errors = Errors::default();
        let mut roles: Option<Vec<LitStr>> = None;
        let mut scopes: Option<Vec<LitStr>> = None;
        let mut same_id: Option<SameId> = None;

        for meta in &metas {
            let key = meta.path();
            let list = if key.is_ident(ROLES.key) {
                Some((&mut roles, &ROLES))
            } else if key.is_ident(SCOPES.key) {
                Some((&mut scopes, &SCOPES))
            } else {
                None
            };
            if let Some((list, names)) = list {
                if list.is_some() {
                    errors.push(syn::Error::new_spanned(
                        key,
                        format!("`{}` specified more than once", names.key),
                    ));
                } else {
                    *list = Some(parse_names(meta, names, &mut errors));
                }
            } else if key.is_ident("allow_same_id") {
                if same_id.is_some() {
                    errors.push(syn::Error::new_spanned(
                        key,
                        "`allow_same_id` specified more than once",
                    ));
                } else if let Some(parsed) = parse_same_id(meta, &mut errors) {
                    same_id = Some(parsed);
                }
            } else {
                let name = quote::ToTokens::to_token_stream(key)
                    .to_string()
                    .replace(' ', "");
                errors.push(syn::Error::new_spanned(
                    key,
                    format!(
                        "unknown argument `{name}`; expected `roles`, `scopes` or `allow_same_id`"
                    ),
                ));
            }
        }

        let roles = roles.unwrap_or_default();
        let scopes = scopes.unwrap_or_default();
        let written_same_id = metas
            .iter()
            .any(|meta| meta.path().is_ident("allow_same_id"));
        // Only when nothing else is wrong: after a misspelt key, this would be noise.
        if roles.is_empty() && scopes.is_empty() && !written_same_id && errors.is_empty() {
            let span = metas
                .iter()
                .find(|meta| meta.path().is_ident("roles") || meta.path().is_ident("scopes"))
                .map_or_else(Span::call_site, syn::spanned::Spanned::span);
            errors.push(syn::Error::new(
                span,
                "`#[authorize]` needs `roles = [\"...\"]`, `scopes = [\"...\"]` or \
                 `allow_same_id`; to require only a signed-in caller, take a `CurrentUser` \
                 parameter instead",
            ));
        }

        errors.finish(AuthorizeArgs {
            roles,
            scopes,
            same_id,
        })
    }
}

/// A list of names the attribute takes, and the words of its errors.
struct Names {
    key: &'static str,
    one: &'static str,
    example: &'static str,
    /// Whether each name must be a single word (OAuth2 scopes are space-separated).
    one_word: bool,
}

const ROLES: Names = Names {
    key: "roles",
    one: "role",
    example: "admin",
    one_word: false,
};

const SCOPES: Names = Names {
    key: "scopes",
    one: "scope",
    example: "read",
    one_word: true,
};

fn parse_names(meta: &Meta, names: &Names, errors: &mut Errors) -> Vec<LitStr> {
    let Names {
        key, one, example, ..
    } = names;
    let array = match meta {
        Meta::NameValue(name_value) => match &name_value.value {
            Expr::Array(array) => array,
            other => {
                errors.push(syn::Error::new_spanned(
                    other,
                    format!(
                        "expected an array of string literals, as in `{key} = [\"{example}\"]`"
                    ),
                ));
                return Vec::new();
            }
        },
        _ => {
            errors.push(syn::Error::new_spanned(
                meta,
                format!("expected `{key} = [\"...\"]`, an array of string literals"),
            ));
            return Vec::new();
        }
    };

    let mut listed: Vec<LitStr> = Vec::with_capacity(array.elems.len());
    for element in &array.elems {
        let Expr::Lit(ExprLit {
            lit: Lit::Str(name),
            ..
        }) = element
        else {
            errors.push(syn::Error::new_spanned(
                element,
                format!("a {one} must be a string literal, as in `\"{example}\"`"),
            ));
            continue;
        };
        let value = name.value();
        if value.is_empty() {
            errors.push(syn::Error::new_spanned(
                name,
                format!("a {one} cannot be empty"),
            ));
        } else if value.trim() != value {
            errors.push(syn::Error::new_spanned(
                name,
                format!("a {one} cannot start or end with whitespace"),
            ));
        } else if names.one_word && value.contains(char::is_whitespace) {
            errors.push(syn::Error::new_spanned(
                name,
                format!("a {one} is one word; list each {one} as its own string"),
            ));
        } else if listed.iter().any(|seen| seen.value() == value) {
            errors.push(syn::Error::new_spanned(
                name,
                format!("{one} `{value}` is listed more than once"),
            ));
        } else {
            listed.push(name.clone());
        }
    }
    listed
}

fn parse_same_id(meta: &Meta, errors: &mut Errors) -> Option<SameId> {
    match meta {
        Meta::Path(path) => Some(SameId {
            param: DEFAULT_ID_PARAM.to_owned(),
            span: syn::spanned::Spanned::span(path),
        }),
        Meta::NameValue(name_value) => {
            let Expr::Lit(ExprLit {
                lit: Lit::Str(param),
                ..
            }) = &name_value.value
            else {
                errors.push(syn::Error::new_spanned(
                    &name_value.value,
                    "expected the name of a path parameter as a string, \
                     as in `allow_same_id = \"owner_id\"`",
                ));
                return None;
            };
            let value = param.value();
            if !is_param_name(&value) {
                errors.push(syn::Error::new_spanned(
                    param,
                    format!(
                        "`{value}` is not a path parameter name; expected letters, digits \
                         and `_`, as in `allow_same_id = \"owner_id\"`"
                    ),
                ));
                return None;
            }
            Some(SameId {
                param: value,
                span: param.span(),
            })
        }
        Meta::List(list) => {
            errors.push(syn::Error::new_spanned(
                list,
                "expected `allow_same_id` or `allow_same_id = \"param\"`",
            ));
            None
        }
    }
}

/// Whether `name` can appear as `{name}` in an actix-web route pattern.
fn is_param_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(tokens: &str) -> syn::Result<AuthorizeArgs> {
        syn::parse_str::<AuthorizeArgs>(tokens)
    }

    fn roles(args: &AuthorizeArgs) -> Vec<String> {
        args.roles.iter().map(LitStr::value).collect()
    }

    fn messages(tokens: &str) -> Vec<String> {
        match parse(tokens) {
            Ok(args) => panic!("`{tokens}` was accepted as {args:?}"),
            Err(error) => error.into_iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn accepts_roles_alone() {
        let args = parse(r#"roles = ["admin", "support"]"#).unwrap();
        assert_eq!(roles(&args), ["admin", "support"]);
        assert!(args.same_id.is_none());
    }

    #[test]
    fn accepts_the_same_id_flag_with_its_default_parameter() {
        let args = parse(r#"roles = ["admin"], allow_same_id,"#).unwrap();
        assert_eq!(args.same_id.unwrap().param, "user_id");
    }

    #[test]
    fn accepts_a_named_same_id_parameter_and_owner_only() {
        let args = parse(r#"roles = [], allow_same_id = "owner_id""#).unwrap();
        assert!(args.roles.is_empty());
        assert_eq!(args.same_id.unwrap().param, "owner_id");
        let args = parse("allow_same_id").unwrap();
        assert!(args.roles.is_empty());
    }

    #[test]
    fn rejects_nothing_to_check() {
        assert_eq!(messages("").len(), 1);
        assert!(messages("roles = []")[0].contains("needs `roles"));
    }

    #[test]
    fn reports_every_mistake_at_once() {
        let messages = messages(r#"role = ["a"], roles = [admin, "", "x", "x"], allow_same_id(x)"#);
        assert_eq!(
            messages,
            [
                "unknown argument `role`; expected `roles`, `scopes` or `allow_same_id`",
                "a role must be a string literal, as in `\"admin\"`",
                "a role cannot be empty",
                "role `x` is listed more than once",
                "expected `allow_same_id` or `allow_same_id = \"param\"`",
            ]
        );
    }

    #[test]
    fn rejects_repeated_arguments() {
        assert_eq!(
            messages(r#"roles = ["a"], roles = ["b"]"#),
            ["`roles` specified more than once"]
        );
        assert_eq!(
            messages("allow_same_id, allow_same_id"),
            ["`allow_same_id` specified more than once"]
        );
    }

    #[test]
    fn rejects_badly_shaped_values() {
        assert!(messages(r#"roles = "admin""#)[0].starts_with("expected an array"));
        assert!(
            messages("roles")
                .iter()
                .any(|m| m.starts_with("expected `roles = ["))
        );
        assert!(messages("allow_same_id = 7")[0].starts_with("expected the name"));
        assert!(messages(r#"allow_same_id = "a-b""#)[0].contains("is not a path parameter"));
        assert!(messages(r#"roles = [" admin"]"#)[0].contains("whitespace"));
    }

    #[test]
    fn accepts_scopes_alone_or_with_roles() {
        let args = parse(r#"scopes = ["read", "write"]"#).unwrap();
        let scopes: Vec<String> = args.scopes.iter().map(LitStr::value).collect();
        assert_eq!(scopes, ["read", "write"]);
        assert!(args.roles.is_empty());
        let args = parse(r#"roles = ["admin"], scopes = ["read"], allow_same_id"#).unwrap();
        assert_eq!(
            (roles(&args), args.scopes.len()),
            (vec!["admin".to_owned()], 1)
        );
    }

    #[test]
    fn rejects_bad_scopes() {
        assert_eq!(
            messages(r#"scopes = ["read write", "", "a", "a", 7]"#),
            [
                "a scope is one word; list each scope as its own string",
                "a scope cannot be empty",
                "scope `a` is listed more than once",
                "a scope must be a string literal, as in `\"read\"`",
            ]
        );
        assert_eq!(
            messages(r#"scopes = ["a"], scopes = ["b"]"#),
            ["`scopes` specified more than once"]
        );
        assert!(messages("scopes = []")[0].contains("needs `roles"));
    }

    #[test]
    fn syntax_errors_are_errors_not_panics() {
        assert!(parse("roles = [").is_err());
        assert!(parse("= =").is_err());
    }
}
