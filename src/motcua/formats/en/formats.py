from motcua.formats.vi.formats import *  # noqa: F403
