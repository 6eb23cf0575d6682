"""The safety sensor platform (安全监测): hazard-source sensors publishing over MQTT, and its sensor registry."""
