// Package selfcheck owns the self-check widget whole: its block format,
// parsing with positions in the essay, validation, the HTML, and the
// embedded script and stylesheet (with their own node tests in js/).
// It knows nothing of goldmark, pages or layouts: the goldmark extension
// in package selfcheckext (generator/markdown/selfcheckext) hands it a
// fence's body and an inline-Markdown renderer, and is where the links of
// the texts that TextsAt lists are to be checked; FeedHTML gives a page's
// HTML as a feed should carry it.
//
// # The block
//
// A self-check is a fenced code block whose info string is selfcheck,
// holding YAML. It reads as a code block on GitHub and in any preview.
// There are three kinds. A continuum shows readers where they stand between
// two ends:
//
//	```selfcheck
//	id: leadership-stance        # the storage key; unique on the page
//	version: 1                   # raise it when you change the items
//	kind: continuum
//	title: Where do you stand?
//	intro: Answer for your organisation as it is today.   # optional
//	axis:
//	  left: Practitioner leadership
//	  right: Servant leadership
//	items:
//	  - type: choice             # one answer; score -2..2 toward the right
//	    text: When a colleague is stuck, you usually…
//	    options:
//	      - text: Take the task over and finish it
//	        score: -2
//	      - text: Show them how you would do it
//	        score: -1
//	      - text: Ask what is in their way and remove it
//	        score: 2
//	  - type: likert             # a 5-point agreement scale
//	    statement: Our leaders are our best practitioners.
//	    keyed: left              # agreeing points to the left end
//	  - type: likert
//	    statement: My main job is to make others' work possible.
//	    keyed: right
//	  - type: reflection         # free text, not scored
//	    prompt: Which decision this week could someone else have made?
//	bands:
//	  - from: -100
//	    to: -33
//	    title: Leaning practitioner
//	    body: You lead by doing the work.
//	    reflect:
//	      - What would happen if you stepped back for a week?
//	  - from: -33
//	    to: 33
//	    title: Between the two
//	    body: You mix both models.
//	  - from: 33
//	    to: 100
//	    title: Leaning servant
//	    body: You lead by supporting those who do the work.
//	```
//
// A quiz has right and wrong answers, feedback for every option, and a
// pass mark (the number of items to get right; all of them when left out):
//
//	```selfcheck
//	id: models-quiz
//	version: 1
//	kind: quiz
//	title: Check your reading
//	pass: 2
//	items:
//	  - type: choice             # exactly one correct option
//	    text: Who creates the value in a servant-led organisation?
//	    options:
//	      - text: The leader
//	        feedback: That is the practitioner model.
//	      - text: The people the leader supports
//	        correct: true
//	        feedback: Yes; the leader clears their way.
//	  - type: multi              # one or more correct options, checkboxes
//	    text: Which are *stops* on the continuum?
//	    options:
//	      - text: A player-coach
//	        correct: true
//	      - text: A leader who never delegates
//	        correct: true
//	      - text: A vending machine
//	```
//
// A quadrant places readers on two questions at once: a point on a square
// map. x runs across, its left end on the left; y runs up, its left end at
// the bottom and its right end at the top. Every scored item names the
// axis it moves; four quadrants, one per corner, say what a point there
// means; an optional middle catches points near the centre of both:
//
//	```selfcheck
//	id: time-test-map
//	version: 1
//	kind: quadrant
//	title: Where does your organization stand?
//	axes:
//	  x: {left: The leader produces the value, right: The people produce the value}
//	  y: {left: Leaders come from outside, right: The organization grows its own leaders}
//	items:
//	  - type: likert
//	    statement: If our most senior person stopped for a month, our work would stop.
//	    axis: x
//	    keyed: left
//	  - type: choice
//	    text: Who does the hardest part of a large piece of work?
//	    axis: x
//	    options:
//	      - {text: The most senior person, score: -2}
//	      - {text: The people doing the work, score: 2}
//	  - type: likert
//	    statement: Most of our leaders once did the work they now support.
//	    axis: y
//	    keyed: right
//	  - type: likert
//	    statement: When a leadership role opens, we look outside first.
//	    axis: y
//	    keyed: left
//	  - type: reflection       # not scored: no axis
//	    prompt: Who could be supporting others a year from now?
//	quadrants:
//	  - {x: left, y: left, title: The lone expert, body: "See [the Time Test](#the-time-test)."}
//	  - {x: left, y: right, title: The apprenticeship}
//	  - {x: right, y: left, title: The borrowed bench}
//	  - x: right
//	    y: right
//	    title: The growing organization
//	    body: It [fuels its own growth](other-essay.md#growth).
//	    reflect: [What keeps the next supporter from stepping up?]
//	middle:                    # optional
//	  within: 20               # both positions within 20 of the centre
//	  title: In motion
//	```
//
// Question, option, feedback, intro, axis, band, quadrant and reflection
// texts may hold inline Markdown, rendered with the site's own settings.
// The texts shown with a result (titles, bodies and prompts of bands,
// quadrants and the middle) may link to the essay's headings and to other
// essays; TextsAt gives each text with its position, marked Result, so that
// the markdown package resolves and checks those links like the essay's. A likert item's
// question is `statement:` (or `text:`), a reflection's is `prompt:` (or
// `text:`), a choice's or multi's is `text:`.
//
// # Scoring a continuum
//
// Each scored item earns -2..+2 points toward the right end: a choice the
// score of the chosen option; a likert item -2 (strongly disagree) to +2
// (strongly agree) when keyed right, the opposite when keyed left. With n
// scored items the total t sits at position 100*t/(2n): -100 is the left
// end, 0 the middle, +100 the right end. Bands are written in these
// positions (whole numbers): a band holds from <= position < to, and the
// last band also its to. Bands must follow one another without gaps or
// overlaps and cover every position a reader can reach; they may cover
// more (-100..100 always works). The "score it yourself" table shows each
// band as the whole totals it holds, so readers need no arithmetic.
//
// A result in the middle band (the band that holds position 0 inside it,
// not at its edge) is also "balanced" when the answers averaged less than
// 1 point either way, "mixed" when strong answers cancelled out; so the
// note follows the same boundaries as the band's title. The range of the
// single answers (each points 50*score of the way) is shown too.
//
// # Scoring a quadrant
//
// Each axis is scored like a continuum, on its own items: a total t on an
// axis of n items is at 100*t/(2n). The point is in the middle when both
// positions are within `within` of 0 (100*|t| <= within*2n), else in the
// quadrant whose sides match, 0 counting as the right side, as a band
// holds its from. The "score it yourself" table lists, per result, the
// totals of each axis it holds, the middle first.
//
// # Validation
//
// Every mistake is an error at the essay's file:line:col with what to fix:
// bad YAML, an unknown key (with "did you mean"), a missing id, version,
// title, kind or question, a duplicate id on a page (CheckPage), an option
// without a score or with a score outside -2..2, a quiz item without a
// correct answer or with several on a single choice, bands with gaps or
// overlaps or that leave part of the reachable range uncovered, a pass mark
// above the number of items, and keys that belong to another kind. For a
// quadrant: an axis without both ends named, a scored item without
// `axis: x` or `axis: y` (or a reflection with one), an axis with fewer
// than two scored items, quadrants missing, doubled or without a title,
// and a middle without a title or with within outside 1..99. A continuum,
// or a quadrant's axis, is lopsided, a warning, when a reader who answers
// "agree" (+1) to every likert statement, and takes the average option of
// every choice, lands outside its middle third.
//
// # In the browser
//
// The HTML is a form that reads well without JavaScript: a fieldset per
// item with its question as legend, native radios and checkboxes with
// labels (each label a target of at least 44 by 44 px; a likert item's
// five in a row on a wide form, a list on a narrow one), and a "score it
// yourself" details section with the points and bands (for a quiz, the
// answers and feedback). The script (JS) enhances every form.selfcheck:
// "n of m answered" in a polite status region, changed only when the count
// does; on a submit with questions left, the focus on the first and their
// numbers said; the result in a panel with a heading, in a role=status
// region that takes the focus: the axis (band regions, the answers' range,
// earlier attempts) or the map (an SVG), hidden from assistive technology,
// with a text alternative beside it, the band's or quadrant's text and
// prompts, the answers that pulled toward each end; answers and attempts
// kept in localStorage under selfcheck:<id>:v<version> (older versions kept
// and shown, never dropped), export as Markdown, a "Forget my answers"
// button, and a bubbling selfcheck:complete event whose detail holds id,
// version, kind, answers and the attempt's result. Printed, it is a
// worksheet without buttons. It never uses the network. All user-facing
// words come from Strings.
//
// # Sharing and the team view
//
// "Share my result" makes a link to the page whose fragment (never the
// query: no server sees it) holds the result:
// #sc.<id>.<version>.<c|q>.<total or x_y totals>.<band>, and, only when the
// reader ticks the box, .<answers>, one character per item (the option's
// index in base 36, - for a reflection, whose text never leaves the
// browser). It uses navigator.share where there is one, else copies the
// link. A page opened with such a fragment shows the shared result beside
// an invitation to answer, then both results; a fragment that does not
// hold together (another id, version or kind, a total out of reach, a band
// that is not the totals' band, answers that do not add up to the totals)
// shows nothing. A page opened with #team gives each continuum and
// quadrant a team view: pasted links, checked the same way, drawn on one
// axis or map with the range and the count per result, each removable,
// kept in localStorage under selfcheck-team:<id>:v<version>, copied as
// Markdown.
package selfcheck
