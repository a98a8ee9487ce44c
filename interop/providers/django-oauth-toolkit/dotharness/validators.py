"""Custom claims, the way DOT documents it (OAUTH2_VALIDATOR_CLASS)."""
from oauth2_provider.oauth2_validators import OAuth2Validator


class HarnessValidator(OAuth2Validator):
    # A claim is emitted only if the scope mapped to it was granted (a claim not
    # listed here is dropped). "email" is normally tied to the "email" scope;
    # this harness ties it to "profile" so `openid profile` yields everything.
    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "email": "profile",
        "is_superuser": "profile",
        "groups": "profile",
    }

    # Request-agnostic form (no `request` argument, values are callables):
    # DOT then also lists these claims in discovery's claims_supported.
    def get_additional_claims(self):
        return {
            "preferred_username": lambda r: r.user.get_username(),
            "email": lambda r: r.user.email,
            "is_superuser": lambda r: r.user.is_superuser,
            "groups": lambda r: sorted(r.user.groups.values_list("name", flat=True)),
        }

    # Introspection answers carry no user attributes, only `username` and `scope`; an
    # `admin` scope that only superusers can be granted lets a resource server tell admins
    # apart there (actix-authorize: AUTH_SERVICE_ROLE_FIELDS=space_separated:scope).
    def validate_scopes(self, client_id, scopes, client, request, *args, **kwargs):
        user = getattr(request, "user", None)
        if "admin" in scopes and not (user is not None and user.is_superuser):
            return False
        return super().validate_scopes(client_id, scopes, client, request, *args, **kwargs)
