"""Calibration by history matching with Gaussian-process emulators, and a posterior ensemble
(docs/calibration.md). Modules, one job each:

    spec           the calibration spec file (parameters, targets, variances, waves)
    targets        model series and data side by side by month; their summaries (outputs)
    runtable       the table of every run's parameters and target values, reused across waves
    emulator       a Gaussian-process emulator of one output, with leave-one-out diagnostics
    history        implausibility, the non-implausible space, sampling it, space-filling subsets
    sensitivity    Sobol first-order and total indices
    scenariofiles  design tables, sweep files, the scenario of one parameter set
    pipeline       the whole calibration, wave by wave, resumable
    report         the fit report (results/calibration/report.md)
"""
