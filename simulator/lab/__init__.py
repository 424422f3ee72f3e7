"""Teaching helpers for the notebooks: pandas views, matplotlib timelines, ipywidgets scenarios.

This package owns the scenario code the notebooks call, so that lessons stay short and every
helper is tested in pytest (``tests/lab``). Nothing here is imported by the simulator core, and
nothing here imports Jupyter, matplotlib or ipywidgets at module level: import the module you
need and the heavy library loads only when a function asks for it.

- :mod:`simulator.lab.views`: the trail and the keys of a Region as pandas tables.
- :mod:`simulator.lab.timeline`: the audit trail drawn over virtual time.
- :mod:`simulator.lab.playground`: an encrypt/decrypt playground as a plain, testable class.
- :mod:`simulator.lab.widgets`: the ipywidgets front end of the playground.
- :mod:`simulator.lab.cli`: ``python -m simulator serve`` in a subprocess, driven by the AWS CLI.
"""
