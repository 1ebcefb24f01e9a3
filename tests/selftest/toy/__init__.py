"""A small in-memory implementation of the membership lifecycle contract (events, groups and courses), with
selectable faults and variants.

It is a stand-in for a third-party server: written from the contract alone, sharing no code with
``reference_impl``, so that the conformance suite can be shown to tell correct servers from faulty ones.
"""
