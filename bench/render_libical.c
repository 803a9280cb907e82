/* Raw libical rendering speed, for scripts/bench-render.sh: reads an .ics file, keeps its
 * VEVENTs, then for ROUNDS rounds builds each event afresh (a clone of the parsed tree, i.e. the
 * same properties and parameters drillcal gives libical) and serialises it with
 * icalcomponent_as_ical_string_r, as drillcal's render step does once per event.
 * Prints: events rendered, seconds, events per second.
 *   cc -O2 bench/render_libical.c $(pkg-config --cflags --libs libical) -o render_libical
 *   ./render_libical town.ics 200 */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: %s FILE.ics [ROUNDS]\n", argv[0]); return 2; }
    int rounds = argc > 2 ? atoi(argv[2]) : 100;
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 2; }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc(size + 1);
    if (fread(text, 1, size, f) != (size_t)size) { perror("read"); return 2; }
    text[size] = 0;
    fclose(f);
    icalcomponent *calendar = icalparser_parse_string(text);
    if (!calendar) { fprintf(stderr, "not iCalendar\n"); return 2; }
    int count = 0;
    icalcomponent *events[100000];
    for (icalcomponent *c = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT); c && count < 100000;
         c = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT))
        events[count++] = c;
    struct timespec a, b;
    size_t bytes = 0;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < count; i++) {
            icalcomponent *copy = icalcomponent_new_clone(events[i]);
            char *out = icalcomponent_as_ical_string_r(copy);
            bytes += strlen(out);
            free(out);
            icalcomponent_free(copy);
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    double seconds = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
    long total = (long)count * rounds;
    printf("%ld %.6f %.0f\n", total, seconds, total / seconds);
    icalcomponent_free(calendar);
    free(text);
    return bytes == 0;
}
