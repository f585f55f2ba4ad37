"""The dossier API through Django's test client, with a bearer token made as users make them."""

import json

from motcua.api.services import token_create


class ApiAs:
    """One member of staff calling /api/v1 with their own token."""

    def __init__(self, client, user):
        self.client = client
        self.auth = {"HTTP_AUTHORIZATION": f"Bearer {token_create(actor='test', user=user)[1]}"}

    def get(self, path):
        response = self.client.get(f"/api/v1{path}", **self.auth)
        return response.status_code, response.json()

    def post(self, path, body):
        response = self.client.post(
            f"/api/v1{path}", json.dumps(body), content_type="application/json", **self.auth
        )
        return response.status_code, response.json()

    def act(self, code, action, version, **params):
        return self.post(f"/dossiers/{code}/actions/{action}", {"version": version, **params})


def errors_of(body) -> dict:
    return {e["field"]: e["message"] for e in body.get("errors", [])}
