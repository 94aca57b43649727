/**
 * The sample newsroom's pictures: small WebP files in local/seed/pictures/,
 * made once by generate.ts from the landscape drawn for each name, and served
 * by the local server at /assets/samples/ (no function draws or serves them).
 */

/** The renditions of a sample picture: the photo, a thumbnail for lists, a video poster. */
export type SampleRendition = 'photo' | 'thumb' | 'poster';

/** Pixel size of each rendition (the photo and thumbnail 3:2, the poster 16:9). */
export const SAMPLE_SIZES: Record<SampleRendition, { width: number; height: number }> = {
  photo: { width: 1200, height: 800 },
  thumb: { width: 320, height: 213 },
  poster: { width: 1280, height: 720 },
};

/** Media type of the sample pictures. */
export const SAMPLE_TYPE = 'image/webp';

/** A sample picture's name: a story's slug. */
const SAMPLE_NAME = /^[a-z0-9-]{1,80}$/;

/** Where the site serves the sample pictures locally. */
export const SAMPLES_PATH = '/assets/samples/';

/** The folder that holds them, in the repository. */
export const SAMPLES_FOLDER = new URL('../seed/pictures/', import.meta.url);

/** File name of a rendition: `danube-floods.webp`, `danube-floods.thumb.webp`. */
export function sampleFile(name: string, rendition: SampleRendition = 'photo'): string {
  if (!SAMPLE_NAME.test(name)) throw new RangeError(`Not a sample picture name: ${JSON.stringify(name)}`);
  return `${name}${rendition === 'photo' ? '' : `.${rendition}`}.webp`;
}

/** Site path of a rendition, e.g. `/assets/samples/danube-floods.thumb.webp`. */
export function samplePicturePath(name: string, rendition: SampleRendition = 'photo'): string {
  return `${SAMPLES_PATH}${sampleFile(name, rendition)}`;
}

/** The sample video (a few seconds of one landscape, WebM), and its poster's name. */
export const SAMPLE_VIDEO = {
  file: 'sample-clip.webm',
  type: 'video/webm',
  width: 640,
  height: 360,
  seconds: 6,
};
