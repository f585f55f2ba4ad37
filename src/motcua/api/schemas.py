from ninja import Schema


class ErrorOut(Schema):
    code: str
    message: str


class HealthOut(Schema):
    status: str
    database: str
