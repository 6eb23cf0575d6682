"""The pollution-source online monitoring platform (重点排污单位在线监测): its point registry and its field units."""
