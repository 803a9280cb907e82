/* Raw libical rendering speed, for scripts/bench-render.sh.
 *
 * Reads iCalendar files and keeps the forms drillcal renders for each event: the public form (the
 * VEVENTs of the first file, town.ics) and, for every UID found again with ATTENDEE properties in a
 * later file (the members' feeds), its private form once. Then for ROUNDS rounds builds every kept
 * form afresh (a clone of the parsed tree, i.e. the same properties and parameters drillcal gives
 * libical) and serialises it with icalcomponent_as_ical_string_r, as drillcal's render step does
 * once per form. Rates are per event (UID), whatever the number of forms it has, as drillcal counts.
 * Prints: events rendered in the fastest round, its seconds, events per second, forms per event.
 *   cc -O2 bench/render_libical.c $(pkg-config --cflags --libs libical) -o render_libical
 *   ./render_libical 200 feeds/town.ics feeds/member-*.ics */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_FORMS 200000

static icalcomponent *read_calendar(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc(size + 1);
    if (fread(text, 1, size, f) != (size_t)size) { perror("read"); exit(2); }
    text[size] = 0;
    fclose(f);
    icalcomponent *calendar = icalparser_parse_string(text);
    free(text);
    if (!calendar) { fprintf(stderr, "%s: not iCalendar\n", path); exit(2); }
    return calendar;
}

static icalcomponent *forms[MAX_FORMS];
static const char *public_uids[MAX_FORMS];
static const char *private_uids[MAX_FORMS];

static int seen(const char **uids, int count, const char *uid) {
    for (int i = 0; i < count; i++)
        if (strcmp(uids[i], uid) == 0) return 1;
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: %s ROUNDS TOWN.ics [MEMBER.ics...]\n", argv[0]); return 2; }
    int rounds = atoi(argv[1]);
    int count = 0, events = 0, privates = 0;
    for (int a = 2; a < argc; a++) {
        icalcomponent *calendar = read_calendar(argv[a]);  // kept: the forms point into it
        for (icalcomponent *c = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT);
             c && count < MAX_FORMS; c = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT)) {
            const char *uid = icalcomponent_get_uid(c);
            if (!uid) continue;
            if (a == 2) {
                public_uids[events++] = uid;
                forms[count++] = c;
            } else if (icalcomponent_get_first_property(c, ICAL_ATTENDEE_PROPERTY) &&
                       seen(public_uids, events, uid) && !seen(private_uids, privates, uid)) {
                private_uids[privates++] = uid;
                forms[count++] = c;
            }
        }
    }
    /* Each round timed on its own and the fastest kept, as drillcal's figure is its fastest build:
     * the three rates are then measured the same way on a host whose speed varies. */
    size_t bytes = 0;
    double best = -1;
    for (int r = 0; r < rounds; r++) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        for (int i = 0; i < count; i++) {
            icalcomponent *copy = icalcomponent_new_clone(forms[i]);
            char *out = icalcomponent_as_ical_string_r(copy);
            bytes += strlen(out);
            free(out);
            icalcomponent_free(copy);
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double round = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
        if (best < 0 || round < best) best = round;
    }
    double seconds = best;
    long total = (long)events;
    printf("%ld %.6f %.0f %.2f\n", total, seconds, total / seconds, events ? (double)count / events : 0.0);
    return bytes == 0;
}
