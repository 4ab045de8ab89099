"""Yicai settings: one file, read from the environment, with safe development defaults.

Production sets YICAI_DEBUG=0, SECRET_KEY, YICAI_FIELD_KEY, ALLOWED_HOSTS and DATABASE_URL;
`yicai check --deploy` refuses the development defaults.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name) or default  # set-but-empty counts as unset


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("YICAI_DEBUG", True)
# The development key is public on purpose; the deploy check (yicai.access.checks) refuses it.
DEV_SECRET_KEY = "yicai-development-only-not-secret"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET_KEY)
# While SECRET_KEY is rotated: the previous keys, still accepted for sessions and signed
# links until they expire (docs/operations.md, "Key rotation").
SECRET_KEY_FALLBACKS = env_list("YICAI_SECRET_KEY_FALLBACKS", "")
# 32 bytes, base64: the key for encrypted person fields and their blind indexes.
FIELD_ENCRYPTION_KEY = env_str("YICAI_FIELD_KEY", "")
FIELD_ENCRYPTION_ALGORITHM = env_str("YICAI_FIELD_ALGORITHM", "aes-256-gcm")
# 32 bytes, base64, not the field key: the HMAC key of the audit chain and its checkpoint,
# which is written outside the database (keep it where the database account cannot write).
AUDIT_KEY = env_str("YICAI_AUDIT_KEY", "")
AUDIT_CHECKPOINT = env_str(
    "YICAI_AUDIT_CHECKPOINT", str(PROJECT_DIR / "var" / "audit-checkpoint.json")
)
AUDIT_CHECKPOINT_SECONDS = env_int("YICAI_AUDIT_CHECKPOINT_SECONDS", 60)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# Only behind a reverse proxy that sets X-Forwarded-For itself (the audit log records it).
TRUST_X_FORWARDED_FOR = env_bool("YICAI_TRUST_X_FORWARDED_FOR", False)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "template_partials",
    # Before auditlog: its management commands (auditlogflush) are replaced by refusals.
    "yicai.access",
    "auditlog",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    # Above every domain app, so that any of them may notify a user.
    "yicai.notifications",
    "yicai.codes",
    "yicai.org",
    "yicai.people",
    "yicai.training",
    "yicai.recruitment",
    "yicai.retention",
    "yicai.evaluation",
    "yicai.insights",
    "yicai.exchange",
    "yicai.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "yicai.access.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "yicai.access.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "yicai.access.middleware.SessionPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # After authentication, so that its 400 page is drawn with the user's menu.
    "yicai.params.HostileInputMiddleware",
    # Last, so a view's busy database is answered before any other middleware sees it.
    "yicai.contention.ContentionMiddleware",
]

if not DEBUG:  # runserver serves static files in development
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "yicai.urls"
WSGI_APPLICATION = "yicai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yicai.insights.context_processors.navigation",
                "yicai.notifications.context_processors.unread",
            ],
        },
    }
]

SQLITE_PATH = Path(env_str("YICAI_SQLITE_PATH", str(PROJECT_DIR / "var" / "yicai.sqlite3")))
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{SQLITE_PATH}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; IMMEDIATE avoids upgrade deadlocks; writers
    # queue for up to 20 s (under gunicorn's 30 s timeout) before the user is told to retry
    # (yicai.contention). A new
    # database gets 16 KB pages (an existing one keeps its size): fewer, fuller index pages
    # make an import of 100,000 people a tenth faster to store.
    DATABASES["default"]["OPTIONS"] = {
        # The busy timeout first: setting the journal mode needs the database for a moment,
        # and a connection opened while another writes must wait for it too, not fail.
        "init_command": f"PRAGMA busy_timeout={env_int('YICAI_SQLITE_BUSY_MS', 20_000)}; "
        "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "access.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Length, classes and history come from the editable SecurityPolicy (yicai.access.passwords).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "yicai.access.passwords.PolicyLengthValidator"},
    {"NAME": "yicai.access.passwords.CharacterClassValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "yicai.access.passwords.HistoryValidator"},
]
LOGIN_URL = "access:login"
LOGIN_REDIRECT_URL = "insights:home"
LOGOUT_REDIRECT_URL = "access:login"

SESSION_COOKIE_AGE = env_int("YICAI_SESSION_MAX_SECONDS", 8 * 3600)
# The 八个一 green channel: a request for a hospital visit is answered within this many hours.
GREEN_CHANNEL_HOURS = env_int("YICAI_GREEN_CHANNEL_HOURS", 24)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie

# django-axes: the numbers are defaults; the SecurityPolicy row overrides them at run time.
AXES_FAILURE_LIMIT = "yicai.access.policy.axes_failure_limit"
AXES_COOLOFF_TIME = "yicai.access.policy.axes_cooloff"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "yicai.access.views.locked_out"
AXES_VERBOSE = False

AUDITLOG_LOGENTRY_MODEL = "access.AuditEntry"
# auditlog's own migrations would create its unused default table (our model replaces it);
# without them nothing is created for the swapped-out model.
MIGRATION_MODULES = {"auditlog": None}
AUDITLOG_STORE_JSON_CHANGES = True
# loaddata (raw saves) restores rows; it must not write audit entries into the chain.
AUDITLOG_DISABLE_ON_RAW_SAVE = True
# Diffs name the related row ("男性 → 女性") rather than its id, so the log reads on its own.
AUDITLOG_USE_FK_STRING_REPRESENTATION = True
AUDITLOG_CID_HEADER = "x-request-id"
AUDITLOG_CID_GETTER = "yicai.access.middleware.current_request_id"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = PROJECT_DIR / "var" / "staticfiles"
NODE_MODULES = Path(env_str("YICAI_NODE_MODULES", str(PROJECT_DIR / "node_modules")))
# Front-end packages come from npm (package-lock.json) and are served from node_modules:
# hospital intranets have no internet, and third-party files are not copied into the repo.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
    ("vendor/tom-select", NODE_MODULES / "tom-select" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("YICAI_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("YICAI_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("YICAI_HSTS_PRELOAD", False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS = ["security.W021"] if not env_bool("YICAI_HSTS_PRELOAD", False) else []

# Content-Security-Policy (django-csp), the same in development and production so every test
# meets it: scripts and styles only from our own static files (no inline <script>, on…=
# handlers or style= attributes; htmx's indicator style is in yicai.css, see base.html),
# images from us or data: URLs (Bootstrap's form icons), nothing framed, posted or loaded
# elsewhere. A page that cannot do without an inline script uses request.csp_nonce; none does.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

PAGE_SIZE = 25

# The privacy notice (/privacy/): who is responsible for the people's data and whom to ask.
# Empty: "the commission and your institution", "your institution's HR office".
PRIVACY_CONTROLLER = env_str("YICAI_PRIVACY_CONTROLLER", "")
PRIVACY_CONTACT = env_str("YICAI_PRIVACY_CONTACT", "")

# Uploaded files (import sheets, their error reports) live under MEDIA_ROOT, never served
# directly: downloads go through views that check scope.
MEDIA_ROOT = Path(env_str("YICAI_MEDIA_ROOT", str(PROJECT_DIR / "var" / "media")))
IMPORT_MAX_BYTES = env_int("YICAI_IMPORT_MAX_BYTES", 50 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("YICAI_IMPORT_MAX_ROWS", 200_000)
# Days after its plan closes that an applicant not hired keeps their personal data
# (`yicai recruitment purge`; PIPL: no longer than necessary).
YICAI_APPLICANT_RETENTION_DAYS = env_int("YICAI_APPLICANT_RETENTION_DAYS", 365)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Notifications (`yicai remind`): also sent by e-mail through Django's mail settings when
# YICAI_NOTIFY_EMAIL=1, to users with an address, each once; links in them start with
# YICAI_SITE_URL (https://yicai.example.local). The attrition-risk flag counts years without
# a promotion from YICAI_RISK_NO_PROMOTION_YEARS.
YICAI_NOTIFY_EMAIL = env_bool("YICAI_NOTIFY_EMAIL", False)
YICAI_SITE_URL = env_str("YICAI_SITE_URL", "")
YICAI_RISK_NO_PROMOTION_YEARS = env_int("YICAI_RISK_NO_PROMOTION_YEARS", 8)
EMAIL_HOST = env_str("YICAI_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("YICAI_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("YICAI_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("YICAI_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("YICAI_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env_str("YICAI_EMAIL_FROM", "yicai@localhost")

# Background work: django-tasks with its database backend; `yicai db_worker` runs it.
# YICAI_TASKS_IMMEDIATE=1 runs tasks inside the request (tests, single-process trials).
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if env_bool("YICAI_TASKS_IMMEDIATE", False)
        else "django_tasks_db.DatabaseBackend"
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "yicai.access.permissions.AccountReady",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "yicai.params.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "yicai.params.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Yicai API",
    "DESCRIPTION": "医才 REST API: institutions, departments and people, scoped per user.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the drf-spectacular-sidecar package: served locally, no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name for the title grades wherever a record offers them (a programme's minimum, an
    # introduction's grade, the people filter).
    # One name for what is owed back, an introduction's clawback's or a directed student's
    # breach's (clawback_status, breach_status: the same choices).
    "ENUM_NAME_OVERRIDES": {
        "TitleGradeEnum": "yicai.people.models.TitleGrade",
        "OwedBackStatusEnum": "yicai.recruitment.models.OwedBack.Status",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every line we log keeps only the last four digits of a long number (a URL's query
    # string, an error's text): identity numbers never reach a log (yicai.sensitive).
    # Django's own loggers are redefined so that none keeps a handler of Django's defaults
    # (without the filter): the development server's request lines carry query strings.
    "filters": {"mask_numbers": {"()": "yicai.sensitive.MaskNumbers"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_numbers"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["mask_numbers"],
        },
    },
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": env_str("YICAI_LOG_LEVEL", "WARNING")},
}
