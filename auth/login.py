"""The login page of the authorization code flow, and the error page for requests that cannot redirect.

Plain HTML with every value escaped; the original authorization request
travels in hidden fields so that the POST carries exactly what the client
asked for.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

_STYLE = (
    "body{font-family:sans-serif;max-width:28rem;margin:4rem auto;color:#222}"
    "label{display:block;margin:.6rem 0}input[type=text],input[type=password]{width:100%;padding:.4rem}"
    ".error{color:#a00}button{padding:.5rem 1.5rem}"
)


def login_page(client_name: str, scope: str, params: Mapping[str, str], *, error: str | None = None) -> str:
    hidden = "\n".join(
        f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'
        for name, value in params.items()
        if name not in ("username", "password")
    )
    message = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>ParkGraph 登录</title><style>{_STYLE}</style></head>
<body>
<h1>ParkGraph 登录</h1>
<p><strong>{escape(client_name)}</strong> asks for: <code>{escape(scope or "(default scopes)")}</code></p>
{message}
<form method="post" action="/authorize">
{hidden}
<label>Username <input type="text" name="username" autocomplete="username" required></label>
<label>Password <input type="password" name="password" autocomplete="current-password" required></label>
<button type="submit">Sign in and allow</button>
</form>
</body></html>
"""


def error_page(error: str, description: str | None) -> str:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Authorization error</title><style>{_STYLE}</style></head>
<body><h1>Authorization error</h1>
<p class="error"><code>{escape(error)}</code>: {escape(description or "")}</p>
<p>The application sent an authorization request that cannot be answered; nothing was sent back to it.</p>
</body></html>
"""
