"""Where the project's data files live."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PARAMS_DIR = PROJECT_ROOT / "params"
BASE_PARAMS = PARAMS_DIR / "base.toml"
THERMO_FILE = PARAMS_DIR / "thermo" / "species.yaml"
SCENARIOS_DIR = PARAMS_DIR / "scenarios"
