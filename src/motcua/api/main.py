from django.db import connection
from ninja import NinjaAPI

from motcua.api import errors
from motcua.api.auth import AUTH
from motcua.api.routers import catalog as catalog_router
from motcua.api.routers import dossiers as dossiers_router
from motcua.api.routers import metrics as metrics_router
from motcua.api.routers import org as org_router
from motcua.api.schemas import HealthOut


class MotcuaAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """Every operation may answer 400: a body that is not JSON, or a NUL character anywhere
        in the request (refused by RejectNulMiddleware before any endpoint runs)."""
        schema = super().get_openapi_schema(*args, **kwargs)
        bad_request = {
            "description": "Yêu cầu không hợp lệ: nội dung không đọc được hoặc chứa ký tự NUL.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
        }
        for operations in schema["paths"].values():
            for operation in operations.values():
                operation["responses"].setdefault(400, bad_request)
        return schema


api = MotcuaAPI(
    title="motcua API",
    version="1",
    description="API của hệ thống một cửa motcua. Xác thực bằng phiên đăng nhập hoặc mã truy cập "
    "(`Authorization: Bearer <token>`, tạo bằng `motcua create-token --user TÊN`).",
    auth=AUTH,
    urls_namespace="api",
)
errors.install(api)


@api.get("/health", auth=None, response={200: HealthOut, 503: HealthOut}, tags=["system"])
def health(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return 503, {"status": "error", "database": "unreachable"}
    return {"status": "ok", "database": connection.vendor}


api.add_router("/", org_router.router)
api.add_router("/", catalog_router.router)
api.add_router("/", dossiers_router.router)
api.add_router("/", metrics_router.router)
