/**
 * A sigma node program that draws each node as its kind's shape (circle,
 * square, diamond, triangle, star: kind-shapes.ts) in one draw call. It is
 * sigma's circle program with a shape index per node and signed distance
 * functions in the fragment shader (after Inigo Quilez's 2D distance
 * functions), so a thousand nodes cost what a thousand circles cost and no
 * image is fetched: nothing to serve, nothing from a CDN.
 */
import { NodeProgram } from 'sigma/rendering';
import type { NodeDisplayData, RenderParams } from 'sigma/types';
import { floatColor } from 'sigma/utils';

// Each node is one triangle around the shape; its inscribed circle (SPAN × the
// shape's radius) must hold the triangle's and the star's tips (1.5 × radius).
const VERTEX = /* glsl */ `
attribute vec4 a_id;
attribute vec4 a_color;
attribute vec2 a_position;
attribute float a_size;
attribute float a_shape;
attribute float a_angle;
uniform mat3 u_matrix;
uniform float u_sizeRatio;
uniform float u_correctionRatio;
varying vec4 v_color;
varying vec2 v_diffVector;
varying float v_radius;
varying float v_shape;
const float bias = 255.0 / 254.0;
const float SPAN = 1.8;
void main() {
  float size = a_size * u_correctionRatio / u_sizeRatio * 4.0;
  vec2 diffVector = size * SPAN * vec2(cos(a_angle), sin(a_angle));
  gl_Position = vec4((u_matrix * vec3(a_position + diffVector, 1)).xy, 0, 1);
  v_diffVector = diffVector;
  v_radius = size / 2.0;
  v_shape = a_shape;
  #ifdef PICKING_MODE
  v_color = a_id;
  #else
  v_color = a_color;
  #endif
  v_color.a *= bias;
}`;

// Sizes are chosen so every shape covers about the area of the circle (≈ 3 r²).
const FRAGMENT = /* glsl */ `
precision highp float;
varying vec4 v_color;
varying vec2 v_diffVector;
varying float v_radius;
varying float v_shape;
uniform float u_correctionRatio;
const vec4 transparent = vec4(0.0, 0.0, 0.0, 0.0);
float box(vec2 p, float b) {
  vec2 d = abs(p) - vec2(b);
  return length(max(d, 0.0)) + min(max(d.x, d.y), 0.0);
}
float triangle(vec2 p, float r) {
  const float k = 1.7320508;
  p.x = abs(p.x) - r;
  p.y = p.y + r / k;
  if (p.x + k * p.y > 0.0) p = vec2(p.x - k * p.y, -k * p.x - p.y) / 2.0;
  p.x -= clamp(p.x, -2.0 * r, 0.0);
  return -length(p) * sign(p.y);
}
float star(vec2 p, float r, float rf) {
  const vec2 k1 = vec2(0.809016994375, -0.587785252292);
  const vec2 k2 = vec2(-0.809016994375, -0.587785252292);
  p.x = abs(p.x);
  p -= 2.0 * max(dot(k1, p), 0.0) * k1;
  p -= 2.0 * max(dot(k2, p), 0.0) * k2;
  p.x = abs(p.x);
  p.y -= r;
  vec2 ba = rf * vec2(-k1.y, k1.x) - vec2(0.0, 1.0);
  float h = clamp(dot(p, ba) / dot(ba, ba), 0.0, r);
  return length(p - ba * h) * sign(p.y * ba.x - p.x * ba.y);
}
void main(void) {
  vec2 p = v_diffVector;
  float r = v_radius;
  float d;
  if (v_shape < 0.5) d = length(p) - r;
  else if (v_shape < 1.5) d = box(p, 0.85 * r);
  else if (v_shape < 2.5) d = (abs(p.x) + abs(p.y) - 1.2 * r) * 0.7071068;
  else if (v_shape < 3.5) d = triangle(p, 1.3 * r);
  else d = star(p, 1.45 * r, 0.5);
  float border = u_correctionRatio * 2.0;
  float dist = d + border;
  #ifdef PICKING_MODE
  gl_FragColor = dist > border ? transparent : v_color;
  #else
  float t = dist > border ? 1.0 : dist > 0.0 ? dist / border : 0.0;
  gl_FragColor = mix(v_color, transparent, t);
  #endif
}`;

const { UNSIGNED_BYTE, FLOAT } = WebGLRenderingContext;
const UNIFORMS = ['u_sizeRatio', 'u_correctionRatio', 'u_matrix'] as const;

/** Node attributes this program reads beyond sigma's own: `shape`, the index from kind-shapes.ts. */
export type ShapedNode = NodeDisplayData & { shape?: number };

/** Sigma node program drawing the node's `shape` (register it and make it the default node type). */
export class NodeShapeProgram extends NodeProgram<(typeof UNIFORMS)[number]> {
  getDefinition() {
    return {
      VERTICES: 3,
      VERTEX_SHADER_SOURCE: VERTEX,
      FRAGMENT_SHADER_SOURCE: FRAGMENT,
      METHOD: WebGLRenderingContext.TRIANGLES,
      UNIFORMS,
      ATTRIBUTES: [
        { name: 'a_position', size: 2, type: FLOAT },
        { name: 'a_size', size: 1, type: FLOAT },
        { name: 'a_shape', size: 1, type: FLOAT },
        { name: 'a_color', size: 4, type: UNSIGNED_BYTE, normalized: true },
        { name: 'a_id', size: 4, type: UNSIGNED_BYTE, normalized: true },
      ],
      CONSTANT_ATTRIBUTES: [{ name: 'a_angle', size: 1, type: FLOAT }],
      // The triangle's corners, as in sigma's circle program.
      CONSTANT_DATA: [[0], [(2 * Math.PI) / 3], [(4 * Math.PI) / 3]],
    };
  }

  processVisibleItem(nodeIndex: number, startIndex: number, data: ShapedNode): void {
    const a = this.array;
    a[startIndex++] = data.x;
    a[startIndex++] = data.y;
    a[startIndex++] = data.size;
    a[startIndex++] = data.shape ?? 0;
    a[startIndex++] = floatColor(data.color);
    a[startIndex++] = nodeIndex;
  }

  setUniforms(params: RenderParams, { gl, uniformLocations }: { gl: WebGLRenderingContext; uniformLocations: Record<string, WebGLUniformLocation> }): void {
    gl.uniform1f(uniformLocations.u_correctionRatio, params.correctionRatio);
    gl.uniform1f(uniformLocations.u_sizeRatio, params.sizeRatio);
    gl.uniformMatrix3fv(uniformLocations.u_matrix, false, params.matrix);
  }
}
