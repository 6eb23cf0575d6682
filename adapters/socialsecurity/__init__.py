"""Adapter for the social insurance system (社保): SOAP 1.1 envelopes, GBK-encoded XML, SOAP faults.

:class:`~adapters.socialsecurity.client.SocialSecurityClient` calls the
service's operations in batches of at most 20 and answers
:mod:`adapters.socialsecurity.models` objects; :mod:`~adapters.socialsecurity.soap`
builds envelopes and turns faults into the :mod:`adapters.errors` tree.
"""
