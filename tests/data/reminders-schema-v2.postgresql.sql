-- The reminders tables as calendar-svc with schema version 2 created them (postgresql), for the migration tests.
CREATE TABLE outgoing (
	id SERIAL NOT NULL, 
	email VARCHAR(254) NOT NULL, 
	kind VARCHAR(32) NOT NULL, 
	message TEXT NOT NULL, 
	client VARCHAR(64) NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	attempts INTEGER NOT NULL, 
	claimed_by VARCHAR(120) NOT NULL, 
	claimed_at TIMESTAMP WITHOUT TIME ZONE, 
	next_attempt_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	created TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	sent_at TIMESTAMP WITHOUT TIME ZONE, 
	last_error TEXT NOT NULL, 
	PRIMARY KEY (id)
);
CREATE INDEX outgoing_pending ON outgoing (status, next_attempt_at);
CREATE TABLE subscriber (
	id SERIAL NOT NULL, 
	email VARCHAR(254) NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	filter TEXT NOT NULL, 
	offsets VARCHAR(200) NOT NULL, 
	window_open BOOLEAN NOT NULL, 
	created TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	since TIMESTAMP WITHOUT TIME ZONE, 
	confirmed_at TIMESTAMP WITHOUT TIME ZONE, 
	unsubscribed_at TIMESTAMP WITHOUT TIME ZONE, 
	confirmation_sent_at TIMESTAMP WITHOUT TIME ZONE, 
	confirm_nonce VARCHAR(32), 
	generation INTEGER DEFAULT '0' NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (email)
);
CREATE TABLE delivery (
	id SERIAL NOT NULL, 
	deadline_id VARCHAR(64) NOT NULL, 
	offset_label VARCHAR(16) NOT NULL, 
	subscriber_id INTEGER NOT NULL, 
	deadline_due TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	remind_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	attempts INTEGER NOT NULL, 
	claimed_by VARCHAR(120) NOT NULL, 
	claimed_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	next_attempt_at TIMESTAMP WITHOUT TIME ZONE, 
	sent_at TIMESTAMP WITHOUT TIME ZONE, 
	late BOOLEAN NOT NULL, 
	email VARCHAR(254) NOT NULL, 
	summary TEXT NOT NULL, 
	last_error TEXT NOT NULL, 
	updated TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT delivery_once UNIQUE (deadline_id, offset_label, subscriber_id, deadline_due), 
	FOREIGN KEY(subscriber_id) REFERENCES subscriber (id) ON DELETE CASCADE
);
CREATE INDEX delivery_pending ON delivery (status, next_attempt_at);
CREATE TABLE calendar_svc_meta (key VARCHAR(64) NOT NULL, value TEXT NOT NULL, PRIMARY KEY (key));
INSERT INTO calendar_svc_meta (key, value) VALUES ('schema_version', '2');
