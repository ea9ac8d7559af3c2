"""Strings of sign-in, accounts, the Data page and the Administration page."""

STRINGS = {
    # --- sign-in ----------------------------------------------------------------------------
    "auth.title": {"fr": "Connexion", "en": "Sign in"},
    "auth.intro": {"fr": "Tableau de bord de suivi des programmes. Connectez-vous avec votre compte.",
                   "en": "Programme monitoring dashboard. Sign in with your account."},
    "auth.email": {"fr": "Adresse e-mail", "en": "E-mail address"},
    "auth.password": {"fr": "Mot de passe", "en": "Password"},
    "auth.submit": {"fr": "Se connecter", "en": "Sign in"},
    "auth.sso": {"fr": "Se connecter avec le compte de l'organisation", "en": "Sign in with the organisation account"},
    "auth.ok": {"fr": "Connecté.", "en": "Signed in."},
    "auth.bad_credentials": {"fr": "Adresse ou mot de passe incorrect.", "en": "Wrong e-mail address or password."},
    "auth.wait": {"fr": "Trop d'essais : réessayez dans {seconds} s.", "en": "Too many attempts: try again in {seconds} s."},
    "auth.sign_out": {"fr": "Se déconnecter", "en": "Sign out"},
    "auth.direct": {"fr": "Cette page s'ouvre depuis le tableau de bord, une fois connecté.",
                    "en": "This page opens from the dashboard, once signed in."},
    "auth.go_home": {"fr": "Aller à la page de connexion", "en": "Go to the sign-in page"},
    "auth.signed_in_as": {"fr": "Connecté : {email} ({role})", "en": "Signed in: {email} ({role})"},
    "auth.no_access_title": {"fr": "Pas d'accès", "en": "No access"},
    "auth.no_access": {
        "fr": "Votre identité ({email}) est confirmée, mais aucun compte actif ne lui correspond ici. "
              "Demandez un accès à l'administrateur du tableau de bord.",
        "en": "Your identity ({email}) is confirmed, but no active account matches it here. "
              "Ask the dashboard's administrator for access.",
    },
    "auth.unverified_email": {
        "fr": "Votre fournisseur d'identité n'a pas confirmé l'adresse {email} : elle ne donne accès à aucun "
              "compte ici. Faites vérifier votre adresse auprès de lui, ou demandez un accès à l'administrateur.",
        "en": "Your identity provider has not verified the address {email}: it gives access to no account here. "
              "Have the address verified there, or ask the dashboard's administrator for access.",
    },
    "auth.demo_title": {"fr": "Comptes de démonstration", "en": "Demo accounts"},
    "auth.demo_intro": {
        "fr": "Mode démonstration (base intégrée chargée avec la démo) : ces comptes n'existent que pour "
              "essayer le tableau de bord. Le mode prend fin, et ces comptes sont supprimés, dès qu'autre "
              "chose est écrit : import d'un autre programme, création d'un compte, saisie ou import par un "
              "compte qui n'est pas de démonstration.",
        "en": "Demo mode (embedded database loaded with the demo): these accounts exist only to try the "
              "dashboard. The mode ends, and these accounts are deleted, as soon as anything else is written: "
              "an import of another programme, a new account, an edit or import by an account that is not a "
              "demo account.",
    },
    "auth.demo_as": {"fr": "Entrer comme {email}", "en": "Enter as {email}"},
    "role.admin": {"fr": "administration", "en": "administrator"},
    "role.conseil": {"fr": "Conseil", "en": "board"},
    "role.manager": {"fr": "gestion de programme", "en": "programme manager"},
    "role.funder": {"fr": "bailleur", "en": "funder"},
    # --- account management errors ----------------------------------------------------------
    "auth.password_short": {"fr": "mot de passe trop court ({n} caractères au moins)",
                            "en": "password too short ({n} characters at least)"},
    "auth.bad_email": {"fr": "adresse e-mail invalide", "en": "invalid e-mail address"},
    "auth.bad_role": {"fr": "rôle inconnu ; rôles possibles : {roles}", "en": "unknown role; roles: {roles}"},
    "auth.funder_required": {"fr": "un compte bailleur doit indiquer son bailleur (--funder)",
                             "en": "a funder account needs its funder (--funder)"},
    "auth.funder_only": {"fr": "seul un compte bailleur est rattaché à un bailleur",
                         "en": "only a funder account has a funder"},
    "auth.programme_required": {"fr": "un compte de gestion doit indiquer au moins un programme (--programme)",
                                "en": "a manager account needs at least one programme (--programme)"},
    "auth.scope_manager_only": {"fr": "programmes et pays ne se restreignent que pour un compte de gestion",
                                "en": "programmes and countries only restrict manager accounts"},
    "auth.unknown_funder": {"fr": "bailleur inconnu : {code}", "en": "unknown funder: {code}"},
    "auth.unknown_programme": {"fr": "programme inconnu : {code}", "en": "unknown programme: {code}"},
    "auth.exists": {"fr": "ce compte existe déjà : {email}", "en": "this account already exists: {email}"},
    "auth.unknown_user": {"fr": "compte inconnu : {email}", "en": "unknown account: {email}"},
    "auth.denied": {"fr": "Cette action sort de votre périmètre.", "en": "This action is outside your scope."},
}
