// Admin tab "Zona & peringatan": geofence rules of the Polres (fills <section id="tab-geofence">).
