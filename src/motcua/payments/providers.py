"""What motcua needs from an online payment provider, whatever its protocol.

A provider builds the address the citizen is sent to for one order, reads what it sends back
(the citizen's return and its server-to-server notice, the IPN) after checking the signature,
and words motcua's answer to a notice in its own protocol.
"""

from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol


class BadSignature(Exception):
    """The parameters were not signed with our shared secret: forged or altered on the way."""


@dataclass(frozen=True)
class Notice:
    """What the provider says about one order, its signature checked."""

    txn_ref: str
    amount: int | None  # đồng; None when the provider's figure is not a whole number of đồng
    success: bool
    transaction_no: str = ""
    data: dict = field(default_factory=dict)


class IpnResult(Enum):
    CONFIRMED = "confirmed"
    UNKNOWN_ORDER = "unknown_order"
    ALREADY_CONFIRMED = "already_confirmed"
    WRONG_AMOUNT = "wrong_amount"
    BAD_SIGNATURE = "bad_signature"
    ERROR = "error"


class Provider(Protocol):
    name: str

    def payment_url(
        self,
        *,
        txn_ref: str,
        amount: int,
        order_info: str,
        return_url: str,
        client_ip: str,
        created_at,
    ) -> str: ...

    def read(self, params: dict) -> Notice:
        """The notice in a return or IPN request's parameters; BadSignature when forged."""

    def ipn_answer(self, result: IpnResult) -> dict:
        """The body motcua answers an IPN with."""
