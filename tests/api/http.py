"""Talking to the live test server over real HTTP, as an API client would."""

import json
import urllib.error
import urllib.request


def http(url, token=None, method="GET", body=None, timeout=20):
    """(status, body bytes, headers) of one request; HTTP errors are answers, not exceptions."""
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    if data:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers
