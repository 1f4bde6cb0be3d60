"""The staff area: the person editor with the whole archive, post dialogs, photo cropping (R3, R10, R12)."""
