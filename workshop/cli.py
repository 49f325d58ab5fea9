"""Flask commands: `flask --app app facilitator create EMAIL`, `flask --app app content check [PATH]`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from . import accounts, data, services
from .content import check_path, find_vocabulary, load_vocabulary
from .domain import WorkshopError

facilitator = AppGroup("facilitator", help="Facilitator accounts.")


def _account(action, *args):
    """Run an account service; its WorkshopError becomes a one-line reason and a non-zero exit."""
    try:
        return action(*args)
    except WorkshopError as exc:
        raise click.ClickException(exc.detail or exc.code) from None


def _password(prompt: str):
    """The --password option; left out, it is asked for twice without echo."""
    return click.option(
        "--password",
        prompt=prompt,
        hide_input=True,
        confirmation_prompt=True,
        help=f"At least {services.MIN_PASSWORD} characters; prompted for when left out.",
    )


content = AppGroup("content", help="Dilemma decks.")


@facilitator.command("create")
@click.argument("email")
@_password("Password")
def create_facilitator(email, password):
    """Create a facilitator account."""
    user = _account(services.create_facilitator, email, password)
    click.echo(f"Created facilitator {user.email}.")


@facilitator.command("password")
@click.argument("email")
@_password("New password")
def change_password(email, password):
    """Change an account's password; every API token and every login of it ends."""
    user = _account(accounts.change_password, email, password)
    click.echo(f"Changed the password of {user.email}; its tokens and logins have ended.")


@facilitator.command("revoke")
@click.argument("email")
def revoke(email):
    """End every API token and every login of an account (the password stays)."""
    user = _account(accounts.revoke_all, email)
    click.echo(f"Ended every token and login of {user.email}.")


@content.command("check")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
def check(path):
    """Validate every deck under PATH (default: content/)."""
    root = Path(current_app.config["CONTENT_PATH"])
    path = path or root
    vocabulary = load_vocabulary(find_vocabulary(path, root / "values.yaml"))
    decks, problems = check_path(path, vocabulary)
    for deck in decks:
        click.echo(f"{deck.id}: {len(deck.dilemmas)} dilemmas, languages {', '.join(deck.languages)}")
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        raise SystemExit(1)


@click.command("backup")
@click.argument("path", type=click.Path(path_type=Path))
def backup(path):
    """Copy the SQLite database to PATH (a file, or a folder for a dated name) while the server runs."""
    try:
        target = data.backup(current_app.config["SQLALCHEMY_DATABASE_URI"], path)
    except (ValueError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Backed up to {target}")


def register(app) -> None:
    app.cli.add_command(backup)
    app.cli.add_command(facilitator)
    app.cli.add_command(content)
