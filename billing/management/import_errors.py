"""What the import commands (`import_bills`, `import_channel_payments`) do with a refused file."""

from django.core.management.base import CommandError


def refuse_file(command, error, file) -> CommandError:
    """Write the file's errors (the first ones, and how many more) to the command's stderr and
    return the CommandError to raise: nothing was imported."""
    for message in error.errors:
        command.stderr.write(message)
    if error.total > len(error.errors):
        command.stderr.write(f"... and {error.total - len(error.errors)} more")
    return CommandError(f"{error.total} error(s): nothing was imported from {file}")
