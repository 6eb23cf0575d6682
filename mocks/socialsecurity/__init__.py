"""The mock social insurance system (社保): SOAP 1.1 with GBK-encoded XML."""
