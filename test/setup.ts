// Pin the zone so date arithmetic in tests does not depend on the machine.
process.env.TZ = 'UTC';
