"""The wire types of ``gymfuzz serve``: OpenEnv's Action, Observation and State models.

An action is one BrowserGym action string; one that does not parse is refused by the model
itself, so the server answers in OpenEnv's own error shape (``{"type": "error", "data":
{"code": "VALIDATION_ERROR", ...}}``) and the session goes on. An action that parses but
fails in the page (no such element...) comes back in the next observation's
``last_action_error``.
"""

from __future__ import annotations

from openenv.core.env_server.types import Action, Observation, State
from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from fuzzer.serve.actions import ActionError, parse_action


class BrowserActionModel(Action):
    """One BrowserGym action string, e.g. ``click("12")``."""

    action: str = Field(description='one BrowserGym action, e.g. click("12") or fill("7", "x")')

    @field_validator("action")
    @classmethod
    def _parses(cls, value: str) -> str:
        try:
            parse_action(value)
        except ActionError as exc:
            # A custom error whose context is plain text: the server serializes it as is.
            raise PydanticCustomError("browser_action", "{detail}", {"detail": str(exc)}) from None
        return value


class PageObservation(Observation):
    """What the agent sees: the goal, the page's accessibility tree with element ids, the
    URL, the last action's error, and a base64 PNG when the server takes screenshots."""

    goal: str = ""
    axtree: str = ""
    url: str = ""
    last_action_error: str | None = None
    screenshot: str | None = None


class EpisodeState(State):
    """The session's episode: its scenario, step count and ledger path."""

    scenario_id: str | None = None
    drill: str | None = None
    ledger: str | None = None
    seed: int | None = None
    done: bool = False
    passed: bool | None = None
