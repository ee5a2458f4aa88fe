CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
CREATE TABLE project (
	id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	is_demo BOOLEAN NOT NULL, 
	porteur_type VARCHAR(40) NOT NULL, 
	porteur_name VARCHAR(300) NOT NULL, 
	project_type VARCHAR(40) NOT NULL, 
	description TEXT NOT NULL, 
	plan_pack_key VARCHAR(120) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	version INTEGER NOT NULL, 
	CONSTRAINT pk_project PRIMARY KEY (id), 
	CONSTRAINT uq_project_name UNIQUE (name)
);
CREATE TABLE accessmeasure (
	id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	"key" VARCHAR(80) NOT NULL, 
	value FLOAT, 
	unit VARCHAR(40) NOT NULL, 
	source VARCHAR(300) NOT NULL, 
	comment TEXT NOT NULL, 
	CONSTRAINT pk_accessmeasure PRIMARY KEY (id), 
	CONSTRAINT fk_accessmeasure_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE
);
CREATE INDEX ix_accessmeasure_project_id ON accessmeasure (project_id);
CREATE TABLE establishment (
	id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	kind VARCHAR(80) NOT NULL, 
	name VARCHAR(300) NOT NULL, 
	commune_code VARCHAR(5) NOT NULL, 
	finess VARCHAR(12) NOT NULL, 
	notes TEXT NOT NULL, latitude FLOAT, longitude FLOAT, 
	CONSTRAINT pk_establishment PRIMARY KEY (id), 
	CONSTRAINT fk_establishment_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE
);
CREATE INDEX ix_establishment_project_id ON establishment (project_id);
CREATE TABLE financingplan (
	id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	is_reference BOOLEAN NOT NULL, 
	CONSTRAINT pk_financingplan PRIMARY KEY (id), 
	CONSTRAINT fk_financingplan_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE
);
CREATE INDEX ix_financingplan_project_id ON financingplan (project_id);
CREATE TABLE healthprojectsection (
	id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	"key" VARCHAR(80) NOT NULL, 
	text TEXT NOT NULL, 
	CONSTRAINT pk_healthprojectsection PRIMARY KEY (id), 
	CONSTRAINT fk_healthprojectsection_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE, 
	CONSTRAINT uq_health_project_section UNIQUE (project_id, "key")
);
CREATE INDEX ix_healthprojectsection_project_id ON healthprojectsection (project_id);
CREATE TABLE indicatorvalue (
	id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	theme VARCHAR(80) NOT NULL, 
	code VARCHAR(80) NOT NULL, 
	label VARCHAR(300) NOT NULL, 
	unit VARCHAR(40) NOT NULL, 
	year INTEGER, 
	source VARCHAR(300) NOT NULL, 
	value_territory FLOAT, 
	value_departement FLOAT, 
	value_region FLOAT, 
	value_france FLOAT, 
	observed FLOAT, 
	expected FLOAT, 
	comment TEXT NOT NULL, 
	version INTEGER NOT NULL, position INTEGER DEFAULT '0' NOT NULL, period VARCHAR(20) DEFAULT '' NOT NULL, 
	CONSTRAINT pk_indicatorvalue PRIMARY KEY (id), 
	CONSTRAINT fk_indicatorvalue_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE
);
CREATE INDEX ix_indicatorvalue_project_id ON indicatorvalue (project_id);
CREATE TABLE meeting (
	id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	kind VARCHAR(80) NOT NULL, 
	title VARCHAR(300) NOT NULL, 
	held_on DATE NOT NULL, 
	place VARCHAR(200) NOT NULL, 
	agenda TEXT NOT NULL, 
	decisions TEXT NOT NULL, secretary VARCHAR(200) DEFAULT '' NOT NULL, next_meeting VARCHAR(300) DEFAULT '' NOT NULL, 
	CONSTRAINT pk_meeting PRIMARY KEY (id), 
	CONSTRAINT fk_meeting_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE
);
CREATE INDEX ix_meeting_project_id ON meeting (project_id);
CREATE TABLE priority (
	id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	title VARCHAR(300) NOT NULL, 
	description TEXT NOT NULL, 
	score FLOAT, 
	position INTEGER NOT NULL, 
	CONSTRAINT pk_priority PRIMARY KEY (id), 
	CONSTRAINT fk_priority_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE
);
CREATE INDEX ix_priority_project_id ON priority (project_id);
CREATE TABLE professional (
	id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	rpps VARCHAR(20) NOT NULL, 
	last_name VARCHAR(120) NOT NULL, 
	first_name VARCHAR(120) NOT NULL, 
	profession VARCHAR(80) NOT NULL, 
	speciality VARCHAR(120) NOT NULL, 
	commune_code VARCHAR(5) NOT NULL, 
	secondary_commune_code VARCHAR(5) NOT NULL, 
	birth_year INTEGER, 
	practice_mode VARCHAR(40) NOT NULL, 
	sector INTEGER, 
	fte FLOAT, 
	retirement_date DATE, 
	notes TEXT NOT NULL, 
	wants_group_practice BOOLEAN, 
	wants_pluriprofessional BOOLEAN, 
	owns_premises BOOLEAN, 
	ready_to_move BOOLEAN, 
	horizon VARCHAR(120) NOT NULL, 
	conditions TEXT NOT NULL, 
	is_leader BOOLEAN NOT NULL, 
	commitment_status VARCHAR(40) NOT NULL, 
	version INTEGER NOT NULL, 
	CONSTRAINT pk_professional PRIMARY KEY (id), 
	CONSTRAINT fk_professional_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE
);
CREATE INDEX ix_professional_project_id ON professional (project_id);
CREATE TABLE projectsetting (
	id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	"key" VARCHAR(80) NOT NULL, 
	value TEXT NOT NULL, 
	CONSTRAINT pk_projectsetting PRIMARY KEY (id), 
	CONSTRAINT fk_projectsetting_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE, 
	CONSTRAINT uq_project_setting UNIQUE (project_id, "key")
);
CREATE INDEX ix_projectsetting_project_id ON projectsetting (project_id);
CREATE TABLE surveyquestion (
	id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	kind VARCHAR(20) NOT NULL, 
	text TEXT NOT NULL, 
	choices TEXT NOT NULL, role VARCHAR(20) DEFAULT '' NOT NULL, 
	CONSTRAINT pk_surveyquestion PRIMARY KEY (id), 
	CONSTRAINT fk_surveyquestion_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE
);
CREATE INDEX ix_surveyquestion_project_id ON surveyquestion (project_id);
CREATE TABLE surveyresponse (
	id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	respondent VARCHAR(80) NOT NULL, 
	commune_code VARCHAR(5) NOT NULL, 
	age_group VARCHAR(40) NOT NULL, 
	CONSTRAINT pk_surveyresponse PRIMARY KEY (id), 
	CONSTRAINT fk_surveyresponse_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE
);
CREATE INDEX ix_surveyresponse_project_id ON surveyresponse (project_id);
CREATE TABLE territorycommune (
	id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	insee_code VARCHAR(5) NOT NULL, 
	source VARCHAR(20) NOT NULL, 
	added_at DATETIME NOT NULL, 
	CONSTRAINT pk_territorycommune PRIMARY KEY (id), 
	CONSTRAINT fk_territorycommune_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE, 
	CONSTRAINT uq_territory_commune UNIQUE (project_id, insee_code)
);
CREATE INDEX ix_territorycommune_project_id ON territorycommune (project_id);
CREATE TABLE commitmentevent (
	id INTEGER NOT NULL, 
	professional_id INTEGER NOT NULL, 
	status VARCHAR(40) NOT NULL, 
	"on" DATE NOT NULL, 
	note TEXT NOT NULL, 
	CONSTRAINT pk_commitmentevent PRIMARY KEY (id), 
	CONSTRAINT fk_commitmentevent_professional_id_professional FOREIGN KEY(professional_id) REFERENCES professional (id) ON DELETE CASCADE
);
CREATE INDEX ix_commitmentevent_professional_id ON commitmentevent (professional_id);
CREATE TABLE constat (
	id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	step INTEGER NOT NULL, 
	title VARCHAR(300) NOT NULL, 
	comment TEXT NOT NULL, 
	indicator_id INTEGER, 
	position INTEGER NOT NULL, version INTEGER DEFAULT '1' NOT NULL, 
	CONSTRAINT pk_constat PRIMARY KEY (id), 
	CONSTRAINT fk_constat_indicator_id_indicatorvalue FOREIGN KEY(indicator_id) REFERENCES indicatorvalue (id) ON DELETE SET NULL, 
	CONSTRAINT fk_constat_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE
);
CREATE INDEX ix_constat_indicator_id ON constat (indicator_id);
CREATE INDEX ix_constat_project_id ON constat (project_id);
CREATE TABLE contact (
	id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	kind VARCHAR(40) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	role VARCHAR(200) NOT NULL, 
	organisation VARCHAR(200) NOT NULL, 
	phone VARCHAR(40) NOT NULL, 
	email VARCHAR(200) NOT NULL, 
	professional_id INTEGER, 
	CONSTRAINT pk_contact PRIMARY KEY (id), 
	CONSTRAINT fk_contact_professional_id_professional FOREIGN KEY(professional_id) REFERENCES professional (id) ON DELETE SET NULL, 
	CONSTRAINT fk_contact_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE
);
CREATE INDEX ix_contact_professional_id ON contact (professional_id);
CREATE INDEX ix_contact_project_id ON contact (project_id);
CREATE TABLE expenseline (
	id INTEGER NOT NULL, 
	plan_id INTEGER NOT NULL, 
	stage VARCHAR(20) NOT NULL, 
	category VARCHAR(80) NOT NULL, 
	label VARCHAR(300) NOT NULL, 
	amount_ht_cents BIGINT NOT NULL, 
	vat_rate_bp INTEGER NOT NULL, 
	year INTEGER, 
	position INTEGER NOT NULL, 
	version INTEGER NOT NULL, 
	CONSTRAINT pk_expenseline PRIMARY KEY (id), 
	CONSTRAINT fk_expenseline_plan_id_financingplan FOREIGN KEY(plan_id) REFERENCES financingplan (id) ON DELETE CASCADE
);
CREATE INDEX ix_expenseline_plan_id ON expenseline (plan_id);
CREATE TABLE loan (
	id INTEGER NOT NULL, 
	plan_id INTEGER NOT NULL, 
	label VARCHAR(200) NOT NULL, 
	principal_cents BIGINT NOT NULL, 
	rate_bp INTEGER NOT NULL, 
	years INTEGER NOT NULL, 
	constant_annuity BOOLEAN NOT NULL, start_year INTEGER, 
	CONSTRAINT pk_loan PRIMARY KEY (id), 
	CONSTRAINT fk_loan_plan_id_financingplan FOREIGN KEY(plan_id) REFERENCES financingplan (id) ON DELETE CASCADE
);
CREATE INDEX ix_loan_plan_id ON loan (plan_id);
CREATE TABLE meetingtask (
	id INTEGER NOT NULL, 
	meeting_id INTEGER NOT NULL, 
	label VARCHAR(300) NOT NULL, 
	owner VARCHAR(200) NOT NULL, 
	due_on DATE, 
	done BOOLEAN NOT NULL, done_on DATE, 
	CONSTRAINT pk_meetingtask PRIMARY KEY (id), 
	CONSTRAINT fk_meetingtask_meeting_id_meeting FOREIGN KEY(meeting_id) REFERENCES meeting (id) ON DELETE CASCADE
);
CREATE INDEX ix_meetingtask_meeting_id ON meetingtask (meeting_id);
CREATE TABLE objective (
	id INTEGER NOT NULL, 
	priority_id INTEGER NOT NULL, 
	title VARCHAR(300) NOT NULL, 
	position INTEGER NOT NULL, 
	CONSTRAINT pk_objective PRIMARY KEY (id), 
	CONSTRAINT fk_objective_priority_id_priority FOREIGN KEY(priority_id) REFERENCES priority (id) ON DELETE CASCADE
);
CREATE INDEX ix_objective_priority_id ON objective (priority_id);
CREATE TABLE resourceline (
	id INTEGER NOT NULL, 
	plan_id INTEGER NOT NULL, 
	kind VARCHAR(20) NOT NULL, 
	funder_code VARCHAR(40) NOT NULL, 
	label VARCHAR(300) NOT NULL, 
	stage VARCHAR(20) NOT NULL, 
	amount_cents BIGINT NOT NULL, 
	rate_bp INTEGER, 
	status VARCHAR(20) NOT NULL, 
	requested_on DATE, 
	decided_on DATE, 
	note TEXT NOT NULL, 
	position INTEGER NOT NULL, 
	version INTEGER NOT NULL, 
	CONSTRAINT pk_resourceline PRIMARY KEY (id), 
	CONSTRAINT fk_resourceline_plan_id_financingplan FOREIGN KEY(plan_id) REFERENCES financingplan (id) ON DELETE CASCADE
);
CREATE INDEX ix_resourceline_plan_id ON resourceline (plan_id);
CREATE TABLE surveyanswer (
	id INTEGER NOT NULL, 
	response_id INTEGER NOT NULL, 
	question_id INTEGER NOT NULL, 
	value TEXT NOT NULL, 
	CONSTRAINT pk_surveyanswer PRIMARY KEY (id), 
	CONSTRAINT fk_surveyanswer_question_id_surveyquestion FOREIGN KEY(question_id) REFERENCES surveyquestion (id) ON DELETE CASCADE, 
	CONSTRAINT fk_surveyanswer_response_id_surveyresponse FOREIGN KEY(response_id) REFERENCES surveyresponse (id) ON DELETE CASCADE
);
CREATE INDEX ix_surveyanswer_question_id ON surveyanswer (question_id);
CREATE INDEX ix_surveyanswer_response_id ON surveyanswer (response_id);
CREATE TABLE action (
	id INTEGER NOT NULL, 
	objective_id INTEGER NOT NULL, 
	title VARCHAR(300) NOT NULL, 
	target_public TEXT NOT NULL, 
	pilot VARCHAR(200) NOT NULL, 
	partners TEXT NOT NULL, 
	starts_on DATE, 
	ends_on DATE, 
	status VARCHAR(40) NOT NULL, 
	budget_cents BIGINT, 
	description TEXT NOT NULL, 
	plan_justification TEXT NOT NULL, 
	version INTEGER NOT NULL, objective TEXT DEFAULT '' NOT NULL, 
	CONSTRAINT pk_action PRIMARY KEY (id), 
	CONSTRAINT fk_action_objective_id_objective FOREIGN KEY(objective_id) REFERENCES objective (id) ON DELETE CASCADE
);
CREATE INDEX ix_action_objective_id ON action (objective_id);
CREATE TABLE meetingparticipant (
	id INTEGER NOT NULL, 
	meeting_id INTEGER NOT NULL, 
	contact_id INTEGER NOT NULL, attendance VARCHAR(20) DEFAULT 'present' NOT NULL, 
	CONSTRAINT pk_meetingparticipant PRIMARY KEY (id), 
	CONSTRAINT fk_meetingparticipant_contact_id_contact FOREIGN KEY(contact_id) REFERENCES contact (id) ON DELETE CASCADE, 
	CONSTRAINT fk_meetingparticipant_meeting_id_meeting FOREIGN KEY(meeting_id) REFERENCES meeting (id) ON DELETE CASCADE, 
	CONSTRAINT uq_meeting_participant UNIQUE (meeting_id, contact_id)
);
CREATE INDEX ix_meetingparticipant_contact_id ON meetingparticipant (contact_id);
CREATE INDEX ix_meetingparticipant_meeting_id ON meetingparticipant (meeting_id);
CREATE TABLE actionconstat (
	id INTEGER NOT NULL, 
	action_id INTEGER NOT NULL, 
	constat_id INTEGER NOT NULL, 
	CONSTRAINT pk_actionconstat PRIMARY KEY (id), 
	CONSTRAINT fk_actionconstat_action_id_action FOREIGN KEY(action_id) REFERENCES action (id) ON DELETE CASCADE, 
	CONSTRAINT fk_actionconstat_constat_id_constat FOREIGN KEY(constat_id) REFERENCES constat (id) ON DELETE CASCADE, 
	CONSTRAINT uq_action_constat UNIQUE (action_id, constat_id)
);
CREATE INDEX ix_actionconstat_action_id ON actionconstat (action_id);
CREATE INDEX ix_actionconstat_constat_id ON actionconstat (constat_id);
CREATE TABLE actionindicator (
	id INTEGER NOT NULL, 
	action_id INTEGER NOT NULL, 
	label VARCHAR(300) NOT NULL, 
	unit VARCHAR(40) NOT NULL, 
	baseline FLOAT, 
	baseline_year INTEGER, 
	target FLOAT, 
	target_year INTEGER, 
	source VARCHAR(300) NOT NULL, 
	CONSTRAINT pk_actionindicator PRIMARY KEY (id), 
	CONSTRAINT fk_actionindicator_action_id_action FOREIGN KEY(action_id) REFERENCES action (id) ON DELETE CASCADE
);
CREATE INDEX ix_actionindicator_action_id ON actionindicator (action_id);
CREATE TABLE actionplanlink (
	id INTEGER NOT NULL, 
	action_id INTEGER NOT NULL, 
	pack_key VARCHAR(120) NOT NULL, 
	objective_code VARCHAR(40) NOT NULL, 
	CONSTRAINT pk_actionplanlink PRIMARY KEY (id), 
	CONSTRAINT fk_actionplanlink_action_id_action FOREIGN KEY(action_id) REFERENCES action (id) ON DELETE CASCADE, 
	CONSTRAINT uq_action_plan UNIQUE (action_id, pack_key, objective_code)
);
CREATE INDEX ix_actionplanlink_action_id ON actionplanlink (action_id);
CREATE TABLE populationagegroup (
	id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	level VARCHAR(20) NOT NULL, 
	age_label VARCHAR(40) NOT NULL, 
	age_min INTEGER NOT NULL, 
	age_max INTEGER, 
	men INTEGER NOT NULL, 
	women INTEGER NOT NULL, 
	year INTEGER, 
	source VARCHAR(300) NOT NULL, 
	CONSTRAINT pk_populationagegroup PRIMARY KEY (id), 
	CONSTRAINT fk_populationagegroup_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE, 
	CONSTRAINT uq_population_age_group UNIQUE (project_id, level, age_min)
);
CREATE INDEX ix_populationagegroup_project_id ON populationagegroup (project_id);
CREATE TABLE rentoccupant (
	id INTEGER NOT NULL, 
	plan_id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	area_centi_m2 INTEGER, 
	share_bp INTEGER, 
	position INTEGER NOT NULL, 
	CONSTRAINT pk_rentoccupant PRIMARY KEY (id), 
	CONSTRAINT fk_rentoccupant_plan_id_financingplan FOREIGN KEY(plan_id) REFERENCES financingplan (id) ON DELETE CASCADE
);
CREATE INDEX ix_rentoccupant_plan_id ON rentoccupant (plan_id);
CREATE TABLE rentsettings (
	id INTEGER NOT NULL, 
	plan_id INTEGER NOT NULL, 
	annual_charges_cents BIGINT NOT NULL, 
	market_rent_cents_per_m2_month INTEGER, 
	split_mode VARCHAR(20) NOT NULL, 
	CONSTRAINT pk_rentsettings PRIMARY KEY (id), 
	CONSTRAINT fk_rentsettings_plan_id_financingplan FOREIGN KEY(plan_id) REFERENCES financingplan (id) ON DELETE CASCADE, 
	CONSTRAINT uq_rent_settings_plan UNIQUE (plan_id)
);
CREATE INDEX ix_rentsettings_plan_id ON rentsettings (plan_id);
CREATE TABLE resourcebase (
	id INTEGER NOT NULL, 
	resource_id INTEGER NOT NULL, 
	expense_id INTEGER NOT NULL, 
	CONSTRAINT pk_resourcebase PRIMARY KEY (id), 
	CONSTRAINT fk_resourcebase_expense_id_expenseline FOREIGN KEY(expense_id) REFERENCES expenseline (id) ON DELETE CASCADE, 
	CONSTRAINT fk_resourcebase_resource_id_resourceline FOREIGN KEY(resource_id) REFERENCES resourceline (id) ON DELETE CASCADE, 
	CONSTRAINT uq_resource_base UNIQUE (resource_id, expense_id)
);
CREATE INDEX ix_resourcebase_expense_id ON resourcebase (expense_id);
CREATE INDEX ix_resourcebase_resource_id ON resourcebase (resource_id);
CREATE TABLE traveltime (
	id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	origin VARCHAR(5) NOT NULL, 
	destination VARCHAR(5) NOT NULL, 
	minutes FLOAT NOT NULL, 
	CONSTRAINT pk_traveltime PRIMARY KEY (id), 
	CONSTRAINT fk_traveltime_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE, 
	CONSTRAINT uq_travel_time UNIQUE (project_id, origin, destination)
);
CREATE INDEX ix_traveltime_project_id ON traveltime (project_id);
CREATE TABLE aplrun (
	id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	profession VARCHAR(60) NOT NULL, 
	computed_at DATETIME NOT NULL, 
	engine_version VARCHAR(20) NOT NULL, 
	parameters TEXT NOT NULL, 
	method TEXT NOT NULL, 
	territory_mean FLOAT, 
	scale FLOAT NOT NULL, 
	unit_label VARCHAR(120) NOT NULL, 
	travel_source VARCHAR(120) NOT NULL, 
	professionals INTEGER NOT NULL, 
	supply_fte FLOAT NOT NULL, 
	CONSTRAINT pk_aplrun PRIMARY KEY (id), 
	CONSTRAINT fk_aplrun_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE, 
	CONSTRAINT uq_apl_run UNIQUE (project_id, profession)
);
CREATE INDEX ix_aplrun_project_id ON aplrun (project_id);
CREATE TABLE aplcommuneresult (
	id INTEGER NOT NULL, 
	run_id INTEGER NOT NULL, 
	commune_code VARCHAR(5) NOT NULL, 
	value FLOAT, 
	minutes FLOAT, 
	CONSTRAINT pk_aplcommuneresult PRIMARY KEY (id), 
	CONSTRAINT fk_aplcommuneresult_run_id_aplrun FOREIGN KEY(run_id) REFERENCES aplrun (id) ON DELETE CASCADE, 
	CONSTRAINT uq_apl_result UNIQUE (run_id, commune_code)
);
CREATE INDEX ix_aplcommuneresult_run_id ON aplcommuneresult (run_id);
CREATE TABLE actioncommune (
	id INTEGER NOT NULL, 
	action_id INTEGER NOT NULL, 
	commune_code VARCHAR(5) NOT NULL, 
	position INTEGER NOT NULL, 
	CONSTRAINT pk_actioncommune PRIMARY KEY (id), 
	CONSTRAINT fk_actioncommune_action_id_action FOREIGN KEY(action_id) REFERENCES action (id) ON DELETE CASCADE, 
	CONSTRAINT uq_action_commune UNIQUE (action_id, commune_code)
);
CREATE INDEX ix_actioncommune_action_id ON actioncommune (action_id);
CREATE TABLE actionmilestone (
	id INTEGER NOT NULL, 
	action_id INTEGER NOT NULL, 
	due_on DATE NOT NULL, 
	label VARCHAR(300) NOT NULL, 
	CONSTRAINT pk_actionmilestone PRIMARY KEY (id), 
	CONSTRAINT fk_actionmilestone_action_id_action FOREIGN KEY(action_id) REFERENCES action (id) ON DELETE CASCADE
);
CREATE INDEX ix_actionmilestone_action_id ON actionmilestone (action_id);
CREATE TABLE officialapl (
	id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	commune_code VARCHAR(5) NOT NULL, 
	year INTEGER NOT NULL, 
	variant VARCHAR(120) NOT NULL, 
	value FLOAT NOT NULL, 
	standardised_population FLOAT, 
	source VARCHAR(300) NOT NULL, total_population FLOAT, 
	CONSTRAINT pk_officialapl PRIMARY KEY (id), 
	CONSTRAINT fk_officialapl_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE, 
	CONSTRAINT uq_official_apl UNIQUE (project_id, commune_code, year, variant)
);
CREATE INDEX ix_officialapl_project_id ON officialapl (project_id);
CREATE TABLE "funder" (
	id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	code VARCHAR(40) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	is_public BOOLEAN NOT NULL, 
	max_rate_bp INTEGER, 
	ceiling_cents BIGINT, 
	eligible_stages VARCHAR(120) NOT NULL, 
	counts_ttc BOOLEAN NOT NULL, 
	conditions TEXT NOT NULL, 
	eligible_categories TEXT DEFAULT ('') NOT NULL, 
	version INTEGER DEFAULT '1' NOT NULL, 
	mention TEXT DEFAULT '' NOT NULL, 
	attachments TEXT DEFAULT '' NOT NULL, 
	is_state BOOLEAN DEFAULT 0 NOT NULL, rule_source TEXT DEFAULT '' NOT NULL, rule_date DATE, 
	CONSTRAINT pk_funder PRIMARY KEY (id), 
	CONSTRAINT uq_funder_code UNIQUE (project_id, code), 
	CONSTRAINT fk_funder_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE
);
CREATE INDEX ix_funder_project_id ON funder (project_id);
CREATE TABLE aplscenario (
	id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	retained BOOLEAN NOT NULL, 
	version INTEGER NOT NULL, 
	CONSTRAINT pk_aplscenario PRIMARY KEY (id), 
	CONSTRAINT fk_aplscenario_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE, 
	CONSTRAINT uq_apl_scenario UNIQUE (project_id, name)
);
CREATE INDEX ix_aplscenario_project_id ON aplscenario (project_id);
CREATE TABLE aplscenariochange (
	id INTEGER NOT NULL, 
	scenario_id INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	kind VARCHAR(20) NOT NULL, 
	commune_code VARCHAR(5) NOT NULL, 
	practitioners FLOAT NOT NULL, 
	activity INTEGER NOT NULL, 
	professional_id INTEGER, 
	horizon INTEGER NOT NULL, 
	CONSTRAINT pk_aplscenariochange PRIMARY KEY (id), 
	CONSTRAINT fk_aplscenariochange_professional_id_professional FOREIGN KEY(professional_id) REFERENCES professional (id) ON DELETE SET NULL, 
	CONSTRAINT fk_aplscenariochange_scenario_id_aplscenario FOREIGN KEY(scenario_id) REFERENCES aplscenario (id) ON DELETE CASCADE
);
CREATE INDEX ix_aplscenariochange_professional_id ON aplscenariochange (professional_id);
CREATE INDEX ix_aplscenariochange_scenario_id ON aplscenariochange (scenario_id);
INSERT INTO alembic_version (version_num) VALUES ('0011');
