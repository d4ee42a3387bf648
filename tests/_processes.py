"""Process helpers shared by the tests that kill runs and look for their workers (Linux: they read /proc)."""
from pathlib import Path


def _stat_fields(stat: Path) -> list[str]:
    # the command name in parentheses may hold spaces: split after its closing parenthesis
    return stat.read_text().rsplit(")", 1)[1].split()


def children(pid: int, *, zombies: bool = True) -> list[int]:
    """The PIDs whose parent is ``pid`` (without the exited ones awaiting their reaper unless ``zombies``)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = _stat_fields(stat)
        except OSError:
            continue
        if int(fields[1]) == pid and (zombies or fields[0] != "Z"):
            out.append(int(stat.parent.name))
    return out


def alive(pid: int) -> bool:
    """Running: a zombie has exited, only its entry waits for a reaper."""
    try:
        return _stat_fields(Path(f"/proc/{pid}/stat"))[0] != "Z"
    except OSError:
        return False
