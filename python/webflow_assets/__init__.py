"""The webflow-assets command, installed from PyPI: the wheel puts the binary on PATH.

``python -m webflow_assets`` runs it too; ``find_webflow_assets_bin()`` says where it is.
"""

import os
import sys
import sysconfig


def find_webflow_assets_bin() -> str:
    """The path of the installed webflow-assets binary."""
    exe = "webflow-assets" + (sysconfig.get_config_var("EXE") or "")
    scripts = os.path.join(sysconfig.get_path("scripts"), exe)
    if os.path.isfile(scripts):
        return scripts
    # `pip install --user`
    if sys.version_info >= (3, 10):
        user_scheme = sysconfig.get_preferred_scheme("user")
    elif os.name == "nt":
        user_scheme = "nt_user"
    elif sys.platform == "darwin" and getattr(sys, "_framework", None):
        user_scheme = "osx_framework_user"
    else:
        user_scheme = "posix_user"
    user = os.path.join(sysconfig.get_path("scripts", scheme=user_scheme), exe)
    if os.path.isfile(user):
        return user
    # `pip install --target DIR` puts scripts in DIR/bin, beside the package.
    target = os.path.join(os.path.dirname(os.path.dirname(__file__)), "bin", exe)
    if os.path.isfile(target):
        return target
    raise FileNotFoundError(scripts)


__all__ = ["find_webflow_assets_bin"]
