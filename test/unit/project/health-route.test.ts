import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decoratorRoutes, djangoRoutes, djangoUrlconf, type RouteSource } from '../../../src/project/health-route.js';

const src = (file: string, text: string): RouteSource => ({
  file,
  module: file
    .replace(/\.py$/, '')
    .replace(/\/__init__$/, '')
    .split('/')
    .join('.'),
  text,
});

describe('Django URLconf routes', () => {
  const sources = [
    src('config/settings.py', 'ROOT_URLCONF = "config.urls"\n'),
    src(
      'config/urls.py',
      'from django.urls import include, path, re_path\n\nurlpatterns = [\n    path("admin/", admin.site.urls),\n    path("ops/", include("core.urls")),\n    re_path(r"^api/v1/", include("api.urls")),\n    path("", include("core.pages")),\n]\n',
    ),
    src('core/urls.py', 'urlpatterns = [\n    path("healthz/", views.healthz, name="healthz"),\n]\n'),
    src('core/pages.py', 'urlpatterns = [path("", views.home)]\n'),
    src(
      'api/urls.py',
      'urlpatterns = [\n  re_path(r"^ping/?$", views.ping),\n  path("items/<int:pk>/", views.item),\n]\n',
    ),
    // Never included: not served.
    src('legacy/urls.py', 'urlpatterns = [path("health/", views.health)]\n'),
  ];

  it('ROOT_URLCONF from the settings module', () => {
    assert.equal(djangoUrlconf(sources, 'config.settings'), 'config.urls');
  });

  it('include() prefixes are joined; re_path plain patterns read; unincluded URLconfs are not routes', () => {
    const routes = djangoRoutes(sources, 'config.urls');
    const paths = routes.map((r) => r.path);
    assert.ok(paths.includes('/ops/healthz/'));
    assert.ok(paths.includes('/api/v1/ping/'));
    assert.ok(!paths.includes('/health/'), 'legacy/urls.py is included nowhere');
    assert.equal(routes.find((r) => r.path === '/ops/healthz/')?.evidence, 'core/urls.py:2');
  });

  it('django-health-check mounted under any name answers at its prefix', () => {
    const s = [
      src(
        'site/urls.py',
        'urlpatterns = [\n  path("admin/", admin.site.urls),\n  path("ht/", include("health_check.urls")),\n]\n',
      ),
    ];
    assert.deepEqual(
      djangoRoutes(s, 'site.urls').find((r) => r.mounted),
      {
        path: '/ht/',
        evidence: 'site/urls.py:3',
        mounted: true,
      },
    );
  });

  it('relative include and include cycles end', () => {
    const s = [
      src('site/urls.py', 'urlpatterns = [path("x/", include(".sub")), path("again/", include("site.urls"))]\n'),
      src('site/sub.py', 'urlpatterns = [path("health", ok)]\n'),
    ];
    const paths = djangoRoutes(s, 'site.urls').map((r) => r.path);
    assert.ok(paths.includes('/x/health'), paths.join(' '));
  });
});

describe('FastAPI, Flask and Starlette routes', () => {
  it('FastAPI: decorators on the app and on routers included with prefixes', () => {
    const routes = decoratorRoutes([
      src(
        'app/main.py',
        'from fastapi import FastAPI\nfrom app.api import routes\nfrom .ops import router as ops_router\n\napp = FastAPI()\napp.include_router(routes.api_router, prefix="/api")\napp.include_router(ops_router)\n\n@app.get("/")\ndef root():\n    return {}\n',
      ),
      src('app/api/routes.py', 'api_router = APIRouter(prefix="/v1")\n\n@api_router.get("/items")\ndef items(): ...\n'),
      src(
        'app/ops.py',
        'router = APIRouter(prefix="/ops", tags=["ops"])\n\n@router.get("/healthz")\ndef healthz(): ...\n',
      ),
      src('app/unused.py', 'router = APIRouter()\n\n@router.get("/health")\ndef h(): ...\n'),
    ]);
    const paths = routes.map((r) => r.path);
    assert.ok(paths.includes('/ops/healthz'), paths.join(' '));
    assert.ok(paths.includes('/api/v1/items'));
    assert.ok(!paths.includes('/health'), 'a router included nowhere is not served');
    assert.equal(routes.find((r) => r.path === '/ops/healthz')?.evidence, 'app/ops.py:3');
  });

  it('Flask: blueprints with url_prefix, register_blueprint prefix, POST-only routes left out', () => {
    const routes = decoratorRoutes([
      src(
        'shop/__init__.py',
        'from flask import Flask\nfrom .health import bp\n\napp = Flask(__name__)\napp.register_blueprint(bp, url_prefix="/internal")\n\n@app.route("/ping", methods=["POST"])\ndef ping(): ...\n',
      ),
      src(
        'shop/health.py',
        'bp = Blueprint("health", __name__, url_prefix="/status")\n\n@bp.route("/health")\ndef health(): ...\n',
      ),
    ]);
    const paths = routes.map((r) => r.path);
    assert.ok(paths.includes('/internal/status/health'), paths.join(' '));
    assert.ok(!paths.includes('/ping'), 'POST only');
  });

  it('Flask app factory: the app made inside create_app() registers the blueprint', () => {
    const routes = decoratorRoutes([
      src(
        'catalog/__init__.py',
        'from flask import Flask\n\n\ndef create_app():\n    app = Flask(\n        __name__,\n        static_folder="../static",\n    )\n    from .views import bp\n\n    app.register_blueprint(bp)\n    return app\n',
      ),
      src(
        'catalog/views.py',
        'from flask import Blueprint\n\nbp = Blueprint("catalog", __name__)\n\n\n@bp.route("/health")\ndef health(): ...\n',
      ),
    ]);
    assert.deepEqual(routes, [{ path: '/health', evidence: 'catalog/views.py:6' }]);
  });

  it('Starlette Route in the app file', () => {
    const routes = decoratorRoutes([
      src(
        'board/app.py',
        'from starlette.applications import Starlette\napp = Starlette(routes=[Route("/health", health), Route("/status", status)])\n',
      ),
    ]);
    assert.deepEqual(
      routes.map((r) => r.path),
      ['/health', '/status'],
    );
  });

  it('prefixes from settings.X, a module constant or an imported constant are resolved', () => {
    const routes = decoratorRoutes([
      src(
        'app/main.py',
        'from fastapi import FastAPI\nfrom app.core.config import settings\nfrom app.api.main import api_router\n\napp = FastAPI()\napp.include_router(api_router, prefix=settings.API_V1_STR)\n',
      ),
      src(
        'app/core/config.py',
        'class Settings(BaseSettings):\n    API_V1_STR: str = "/api/v1"\n\nsettings = Settings()\n',
      ),
      src(
        'app/api/main.py',
        'from app.api.consts import OPS\napi_router = APIRouter()\nops = APIRouter(prefix=OPS)\napi_router.include_router(ops)\n\n@ops.get("/healthz")\ndef h(): ...\n',
      ),
      src('app/api/consts.py', 'OPS = "/ops"\n'),
    ]);
    assert.deepEqual(
      routes.map((r) => r.path),
      ['/api/v1/ops/healthz'],
    );
    const flask = decoratorRoutes([
      src(
        'shop/__init__.py',
        'from flask import Flask\nfrom .health import bp\nAPI_PREFIX = "/internal"\napp = Flask(__name__)\napp.register_blueprint(bp, url_prefix=API_PREFIX)\n',
      ),
      src('shop/health.py', 'bp = Blueprint("health", __name__)\n\n@bp.route("/health")\ndef health(): ...\n'),
    ]);
    assert.deepEqual(
      flask.map((r) => r.path),
      ['/internal/health'],
    );
  });

  it('a prefix that cannot be resolved drops the routes under it (never read as no prefix)', () => {
    const routes = decoratorRoutes([
      src(
        'app/main.py',
        'from fastapi import FastAPI\nfrom app.health import router\nimport os\n\napp = FastAPI()\napp.include_router(router, prefix=os.environ["PREFIX"])\napp.include_router(router, prefix=get_prefix())\n\n@app.get("/ping")\ndef ping(): ...\n',
      ),
      src('app/health.py', 'router = APIRouter()\n\n@router.get("/healthz")\ndef h(): ...\n'),
      src('app/other.py', 'from .cfg import settings\nr2 = APIRouter(prefix=settings.MISSING)\n'),
    ]);
    assert.deepEqual(
      routes.map((r) => r.path),
      ['/ping'],
    );
  });
});
