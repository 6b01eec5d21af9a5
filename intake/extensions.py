"""The Flask extensions, created unbound and wired in the factory."""

from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints: Alembic can then drop or alter them later, on SQLite (batch mode) as on PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# Objects keep what was just committed: the reply to an answer needs no second SELECT of the same row.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
babel = Babel()
compress = Compress()
login_manager = LoginManager()
csrf = CSRFProtect()
migrate = Migrate()
# Counts per client address; behind a reverse proxy set TRUSTED_PROXIES so this is the real client.
limiter = Limiter(key_func=get_remote_address)
