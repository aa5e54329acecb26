"""corridor_io: the Python package of the corridor scripts (reading results and sweeps, running
the binary, the calibration).

Every script in scripts/ and every Python test imports it; none changes the import path. A
script in scripts/ finds it because Python puts the script's own directory first on the path;
from anywhere else, put scripts/ on PYTHONPATH (tests/CMakeLists.txt does so for the tests):

    PYTHONPATH=/path/to/corridor/scripts /usr/bin/python3 my_analysis.py

    import corridor_io
    r = corridor_io.load("results/calibrated.h5")       # a Result (corridor_io.result; docs/output.md)

Modules, one job each:
    result       reading a result file into pandas frames; its API is re-exported here
    binary       finding the corridor binary and running it (run, params, version, --binary)
    parameters   a model's declared parameters (defaults, ranges) as the binary prints them
    files        comparing two result files dataset for dataset ("same content")
    monthly      a corridor run's encounters by calendar month in CBP's categories
    fitmetrics   fit metrics (ARD, MAPE, correlation, naive ratio, share gaps)
    flee         Flee's validation metric (ARD, plain and rescaled) on a flee run's out.csv
    sweep        a sweep directory as one xarray Dataset (load_sweep)
    calibration  history matching with emulators, the posterior ensemble, the fit report
                 (a subpackage; docs/calibration.md)
    categories   the corridor model's category labels and scenario keys
    report       the HTML report of a run or a sweep (scripts/report.py; needs python3-plotly)
    repository   where the repository, its data and its build are
"""
from .result import FORMAT, SUPPORTED_VERSIONS, Result, ResultError, load

__all__ = ["FORMAT", "SUPPORTED_VERSIONS", "Result", "ResultError", "load"]
