"""Template errors in plain words, with the line they are on.

The template engine says "expected token 'end of print statement', got
'name'"; a dealer needs "Line 2: {{ first name }} should be one variable
name, like {{ first_name }}". This module turns whatever keeps a template
from being saved (bot/sms_templates/templates.py `validate_template`) into
that: the line, the line's text, and what to do about it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import get_close_matches

from jinja2 import Environment, TemplateSyntaxError

from bot.sms_templates.templates import TemplateError, validate_template
from bot.sms_templates.variables import VARIABLES

# Only parses, to learn where a syntax error is; it never renders anything.
_PARSER = Environment(autoescape=True)


@dataclass(frozen=True)
class Problem:
    """Why a template cannot be saved, for a person: `line` (1-based) if known."""

    message: str
    line: int | None = None
    line_text: str = ""

    def as_json(self) -> dict[str, object]:
        """The editor's view of the problem."""
        return {"message": self.message, "line": self.line, "line_text": self.line_text}


# (pattern of the engine's message, what to say instead); {0} is the first group.
_SYNTAX = (
    (r"expected token 'end of print statement', got '([^']*)'",
     "a {{{{ … }}}} should hold one variable name, like {{{{ first_name }}}}. "
     "Check for a space or a missing }}}} near “{0}”."),
    (r"expected token 'end of statement block', got '([^']*)'",
     "a {{% … %}} tag is not closed where it should be: end it with %}} (near “{0}”)."),
    (r"unexpected '\}'",
     "there is a }} without the {{{{ that opens it."),
    (r"unexpected end of template.*looking for the following tags: .*'(end\w+)'",
     "an {{% if %}} is never closed: put {{% {0} %}} after the words it decides on."),
    (r"unexpected end of template",
     "the template ends inside a {{{{ or a {{% : close it with }}}} or %}}."),
    (r"Encountered unknown tag '(end\w+)'",
     "{{% {0} %}} closes something that was never opened here (an {{% if %}} closes "
     "with {{% endif %}})."),
    (r"Encountered unknown tag '(\w+)'",
     "{{% {0} %}} is not something a text can do; only {{% if … %}} … {{% else %}} … "
     "{{% endif %}} is allowed."),
    (r"unexpected char '(.)'",
     "“{0}” cannot be used inside {{{{ }}}}: there, write only a variable name."),
    (r"expected token ',', got '([^']*)'|expected token 'name'",
     "a {{{{ … }}}} or {{% … %}} is not written the way a template expects; compare it "
     "with the examples beside the editor."),
)


def _syntax_problem(body: str) -> Problem | None:
    try:
        _PARSER.parse(body)
    except TemplateSyntaxError as error:
        for pattern, words in _SYNTAX:
            match = re.search(pattern, error.message or "", re.IGNORECASE | re.DOTALL)
            if match:
                return _at(body, error.lineno, words.format(*(g or "" for g in match.groups())))
        return _at(body, error.lineno, f"the template cannot be read here ({error.message}).")
    return None


def _at(body: str, line: int | None, message: str) -> Problem:
    lines = body.splitlines() or [""]
    if line is None or not 1 <= line <= len(lines):
        return Problem(message[0].upper() + message[1:])
    return Problem(f"Line {line}: {message}", line, lines[line - 1].strip())


def _line_of(body: str, needle: str) -> int | None:
    for number, text in enumerate(body.splitlines(), start=1):
        if needle in text:
            return number
    return None


def _unknown_variable(body: str, names: str) -> Problem:
    name = names.split(",")[0].strip()
    close = get_close_matches(name, list(VARIABLES), n=1)
    hint = f" Did you mean {close[0]}?" if close else ""
    pattern = re.compile(rf"\b{re.escape(name)}\b")
    line = next((n for n, text in enumerate(body.splitlines(), start=1)
                 if pattern.search(text)), None)
    return _at(body, line, f"there is no variable called {name}.{hint} The variables you "
                           "can use are listed beside the editor.")


_WHERE = (  # what the refusal names -> text to look for on a line
    (r"loops", "{% for"), (r"macros", "{% macro"), (r"include", "{% include"),
    (r"import", "import"), (r"extends", "{% extends"),
    (r"the filter \|(\w+)", "|{0}"), (r"attribute access \((\w+)\.(\w+)\)", "{0}.{1}"),
    (r"sandbox violation: (\w+)\.(\w+)", "{0}.{1}"),
)


def _refusal(body: str, message: str) -> Problem:
    for pattern, needle in _WHERE:
        match = re.search(pattern, message)
        if match:
            line = _line_of(body, needle.format(*match.groups()))
            if line is not None:
                return _at(body, line, message[0].lower() + message[1:] + ".")
    return Problem(message[0].upper() + message[1:] + ".")


def explain(body: str) -> Problem | None:
    """Why `body` cannot be saved, in plain words and at its line; None when it can."""
    try:
        validate_template(body)
    except TemplateError as error:
        message = str(error)
    else:
        return None
    if message.startswith("syntax error"):
        return _syntax_problem(body) or Problem(message)
    unknown = re.match(r"unknown variable: ([^(]+)", message)
    if unknown:
        return _unknown_variable(body, unknown.group(1))
    if message.startswith("the template is empty"):
        return Problem("The template is empty: write the text of the message.")
    return _refusal(body, message)
