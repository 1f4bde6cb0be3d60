"""RemoteEdu Desktop — 远程教育骨干队伍管理."""

__version__ = "0.1.0"
APP_NAME = "RemoteEdu"
