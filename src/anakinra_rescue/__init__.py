"""Anakinra rescue after tocilizumab failure: a living, executable reproduction.

The engine that regenerates the tables and figure of de la Calle et al.,
Int J Infect Dis 2021;105:319-325 (doi:10.1016/j.ijid.2021.02.041) from
patient-level CSV files.
"""

__version__ = "0.2.0"
